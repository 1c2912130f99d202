// A time zone as a table of UTC offset changes, built once per zone from the same time-zone
// database Postgres uses (the boundary feeds it from pg_next_dst_boundary), so converting a row is
// a lookup in a small sorted table instead of a call into Postgres' time-zone code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "support_reports/civil.hpp"

namespace support_reports {

class ZoneRules {
public:
    struct Transition {
        Micros at;                 // UTC instant at which offset_after starts to apply
        std::int32_t offset_after;  // seconds east of UTC
    };

    // `initial_offset` applies before the first transition; transitions must be strictly increasing
    // and whole seconds (tzdata has no sub-second transitions).
    ZoneRules(std::string name, std::int32_t initial_offset, const std::vector<Transition>& transitions);
    static ZoneRules fixed(std::string name, std::int32_t offset_seconds);

    const std::string& name() const noexcept { return name_; }
    std::size_t transition_count() const noexcept { return starts_.size() - 1; }

    // Index of the constant-offset segment containing `utc`; segment i spans
    // [segment_start(i), segment_end(i)).
    std::size_t segment_of(Micros utc) const noexcept;
    Micros segment_start(std::size_t i) const noexcept { return starts_[i]; }
    Micros segment_end(std::size_t i) const noexcept;
    std::int32_t segment_offset(std::size_t i) const noexcept { return offsets_[i]; }
    std::size_t segment_count() const noexcept { return starts_.size(); }

    std::int32_t offset_at(Micros utc) const noexcept { return offsets_[segment_of(utc)]; }
    Micros to_local(Micros utc) const noexcept { return utc + offset_at(utc) * kMicrosPerSecond; }

    // Local wall-clock time to UTC with exactly Postgres' rule for `timestamp AT TIME ZONE tz`
    // (DetermineTimeZoneOffset): look for the first offset change after local-24h; a local time that
    // falls in a spring-forward gap or a fall-back overlap takes the later of the two UTC readings.
    Micros to_utc(Micros local) const noexcept;

private:
    std::string name_;
    std::vector<Micros> starts_;         // starts_[0] is the minimum Micros: segment 0 is unbounded below
    std::vector<std::int32_t> offsets_;  // offsets_[i] applies in segment i
};

// Remembers the last segment used, so that converting rows that are close in time (the common case
// in an index-ordered scan) costs two comparisons instead of a binary search.
class ZoneCursor {
public:
    explicit ZoneCursor(const ZoneRules& zone) noexcept : zone_(&zone) { seek(0); }

    std::int32_t offset_at(Micros utc) noexcept {
        if (utc < lo_ || utc >= hi_) seek(utc);
        return offset_;
    }
    Micros to_local(Micros utc) noexcept { return utc + offset_at(utc) * kMicrosPerSecond; }
    const ZoneRules& zone() const noexcept { return *zone_; }

private:
    void seek(Micros utc) noexcept {
        const std::size_t i = zone_->segment_of(utc);
        lo_ = zone_->segment_start(i);
        hi_ = zone_->segment_end(i);
        offset_ = zone_->segment_offset(i);
    }

    const ZoneRules* zone_;
    Micros lo_ = 0;
    Micros hi_ = 0;
    std::int32_t offset_ = 0;
};

}  // namespace support_reports

#include "support_reports/core_only.hpp"
