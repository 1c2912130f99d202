// Business hours. A schedule is a set of weekly intervals [start, end) in minutes of the local week
// (0 = Sunday 00:00, 10080 = the next Sunday 00:00), so split and overnight shifts are just more
// intervals. An instant is working time when its local wall-clock reading in the zone falls inside
// an interval; business time between two instants is the real elapsed time of such instants, so a
// DST day that is open all day counts 23 or 25 hours.
#pragma once

#include <cstdint>
#include <vector>

#include "support_reports/civil.hpp"
#include "support_reports/zone.hpp"

namespace support_reports {

constexpr std::int32_t kMinutesPerWeek = 7 * 24 * 60;

class WeekSchedule {
public:
    // `minutes` is the flat SQL array {start1, end1, start2, end2, ...}. Throws Error (parameter
    // "schedule") for an odd length, minutes outside 0..10080, an empty or reversed interval, or
    // overlapping intervals. Touching intervals are merged.
    explicit WeekSchedule(const std::vector<std::int32_t>& minutes);

    bool empty() const noexcept { return starts_.empty(); }
    Micros weekly_total() const noexcept { return total_; }

    // Working time (µs) in the local wall-clock range [week origin, local), where the origin is
    // Sunday 2000-01-02 00:00. Differences of this give working time between local times for any
    // span in O(log intervals), which is what makes business_seconds independent of span length.
    Micros cumulative(Micros local) const noexcept;

private:
    std::vector<Micros> starts_;  // offsets within the week, sorted
    std::vector<Micros> ends_;
    std::vector<Micros> before_;  // before_[i] = total length of intervals 0..i-1
    Micros total_ = 0;
};

// Business seconds in [from, to) (UTC instants) under `schedule` read in `zone`; negative when
// to < from. Costs O(log n) plus one step per UTC-offset change inside the span.
double business_seconds(Micros from, Micros to, const WeekSchedule& schedule, const ZoneRules& zone) noexcept;

}  // namespace support_reports

#include "support_reports/core_only.hpp"
