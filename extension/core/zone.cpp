#include "support_reports/zone.hpp"

#include <algorithm>
#include <limits>

#include "support_reports/error.hpp"

namespace support_reports {

namespace {
constexpr Micros kMinMicros = std::numeric_limits<Micros>::min();
constexpr Micros kMaxMicros = std::numeric_limits<Micros>::max();
}  // namespace

ZoneRules::ZoneRules(std::string name, std::int32_t initial_offset, const std::vector<Transition>& transitions)
    : name_(std::move(name)) {
    starts_.reserve(transitions.size() + 1);
    offsets_.reserve(transitions.size() + 1);
    starts_.push_back(kMinMicros);
    offsets_.push_back(initial_offset);
    for (const Transition& t : transitions) {
        if (t.at <= starts_.back()) {
            throw Error(ErrorKind::DataCorrupted, "tz", "time zone \"" + name_ + "\" has transitions out of order");
        }
        if (t.at % kMicrosPerSecond != 0) {
            throw Error(ErrorKind::DataCorrupted, "tz",
                        "time zone \"" + name_ + "\" has a transition that is not on a whole second");
        }
        starts_.push_back(t.at);
        offsets_.push_back(t.offset_after);
    }
}

ZoneRules ZoneRules::fixed(std::string name, std::int32_t offset_seconds) {
    return ZoneRules(std::move(name), offset_seconds, {});
}

std::size_t ZoneRules::segment_of(Micros utc) const noexcept {
    // starts_[0] is the minimum value, so upper_bound never returns begin().
    return static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), utc) - starts_.begin()) - 1;
}

Micros ZoneRules::segment_end(std::size_t i) const noexcept {
    return i + 1 < starts_.size() ? starts_[i + 1] : kMaxMicros;
}

Micros ZoneRules::to_utc(Micros local) const noexcept {
    // Postgres resolves whole seconds and carries the fraction through unchanged.
    const std::int64_t secs = floor_div(local, kMicrosPerSecond);
    const Micros fraction = local - secs * kMicrosPerSecond;

    // The first offset change strictly after (local - 24 h) read as a UTC instant.
    const std::int64_t prev = secs - kSecondsPerDay;
    const std::size_t seg = segment_of(prev * kMicrosPerSecond);
    const std::int64_t before_offset = offsets_[seg];
    if (seg + 1 >= starts_.size()) return (secs - before_offset) * kMicrosPerSecond + fraction;

    const std::int64_t boundary = starts_[seg + 1] / kMicrosPerSecond;
    const std::int64_t after_offset = offsets_[seg + 1];
    const std::int64_t before_time = secs - before_offset;
    const std::int64_t after_time = secs - after_offset;
    std::int64_t chosen;
    if (before_time < boundary && after_time < boundary) {
        chosen = before_time;
    } else if (before_time > boundary && after_time >= boundary) {
        chosen = after_time;
    } else {
        chosen = std::max(before_time, after_time);  // gap or overlap: the later reading
    }
    return chosen * kMicrosPerSecond + fraction;
}

}  // namespace support_reports
