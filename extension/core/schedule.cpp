#include "support_reports/schedule.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "support_reports/error.hpp"

namespace support_reports {

namespace {
constexpr Micros kMicrosPerMinute = kSecondsPerMinute * kMicrosPerSecond;
constexpr std::int64_t kWeekOriginDay = 1;  // 2000-01-02, a Sunday

std::string interval_text(std::int32_t s, std::int32_t e) {
    return "[" + std::to_string(s) + ", " + std::to_string(e) + ")";
}
}  // namespace

WeekSchedule::WeekSchedule(const std::vector<std::int32_t>& minutes) {
    if (minutes.size() % 2 != 0) {
        invalid_parameter("schedule",
                          "schedule must hold start/end pairs, but has an odd number of elements (" +
                              std::to_string(minutes.size()) + ")",
                          "Write each interval as two minutes of the week: {start, end, start, end, ...}.");
    }
    std::vector<std::pair<std::int32_t, std::int32_t>> intervals;
    intervals.reserve(minutes.size() / 2);
    for (std::size_t i = 0; i < minutes.size(); i += 2) {
        const std::int32_t s = minutes[i];
        const std::int32_t e = minutes[i + 1];
        for (std::size_t j : {i, i + 1}) {
            if (minutes[j] < 0 || minutes[j] > kMinutesPerWeek) {
                invalid_parameter("schedule",
                                  "schedule element " + std::to_string(j + 1) + " is " + std::to_string(minutes[j]) +
                                      ", outside the week",
                                  "Minutes of the week run from 0 (Sunday 00:00) to 10080 (the next Sunday 00:00).");
            }
        }
        if (s >= e) {
            invalid_parameter("schedule",
                              "schedule interval " + std::to_string(i / 2 + 1) + " " + interval_text(s, e) +
                                  " is empty or reversed",
                              "Split an interval that crosses Sunday 00:00 into two: {start, 10080, 0, end}.");
        }
        intervals.emplace_back(s, e);
    }
    std::sort(intervals.begin(), intervals.end());
    for (std::size_t i = 1; i < intervals.size(); ++i) {
        if (intervals[i].first < intervals[i - 1].second) {
            invalid_parameter("schedule", "schedule intervals " +
                                              interval_text(intervals[i - 1].first, intervals[i - 1].second) +
                                              " and " + interval_text(intervals[i].first, intervals[i].second) +
                                              " overlap");
        }
    }
    for (const auto& [s, e] : intervals) {
        if (!ends_.empty() && ends_.back() == s * kMicrosPerMinute) {
            ends_.back() = e * kMicrosPerMinute;  // touching: merge
            continue;
        }
        starts_.push_back(s * kMicrosPerMinute);
        ends_.push_back(e * kMicrosPerMinute);
    }
    before_.reserve(starts_.size());
    for (std::size_t i = 0; i < starts_.size(); ++i) {
        before_.push_back(total_);
        total_ += ends_[i] - starts_[i];
    }
}

Micros WeekSchedule::cumulative(Micros local) const noexcept {
    const Micros since_origin = local - kWeekOriginDay * kMicrosPerDay;
    const std::int64_t weeks = floor_div(since_origin, kMicrosPerWeek);
    const Micros in_week = since_origin - weeks * kMicrosPerWeek;
    Micros within = 0;
    // Number of intervals starting at or before in_week; the last of them may be partly done.
    const auto n = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), in_week) - starts_.begin());
    if (n > 0) within = before_[n - 1] + (std::min(in_week, ends_[n - 1]) - starts_[n - 1]);
    return weeks * total_ + within;
}

double business_seconds(Micros from, Micros to, const WeekSchedule& schedule, const ZoneRules& zone) noexcept {
    if (from == to || schedule.empty()) return 0.0;
    if (to < from) return -business_seconds(to, from, schedule, zone);
    // Within a constant-offset segment, local time is UTC shifted by a constant, so the working
    // time is a difference of cumulative(); only offset changes need a step of their own.
    // 128-bit sum: a span across Postgres' whole timestamp range (~294,000 years) exceeds 2^63 µs.
    __int128 total = 0;
    Micros cursor = from;
    for (std::size_t seg = zone.segment_of(from);; ++seg) {
        const Micros end = std::min(to, zone.segment_end(seg));
        const Micros shift = static_cast<Micros>(zone.segment_offset(seg)) * kMicrosPerSecond;
        total += static_cast<__int128>(schedule.cumulative(end + shift)) - schedule.cumulative(cursor + shift);
        if (end == to) break;
        cursor = end;
    }
    return static_cast<double>(total) / static_cast<double>(kMicrosPerSecond);
}

}  // namespace support_reports
