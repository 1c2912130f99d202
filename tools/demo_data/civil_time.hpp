// Calendar arithmetic, timestamp formatting and a small built-in table of time zones.
//
// The zone rules are compiled in (rather than read from the system's zoneinfo) so the output
// does not depend on the tzdata version installed. They only steer *when* simulated traffic and
// agent replies happen; no reporting value depends on them (business-hours values are computed
// later by PostgreSQL from the inboxes' IANA zone names).
#pragma once

#include <cstdint>
#include <string>

namespace demo {

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(int64_t y, int m, int d);
void civil_from_days(int64_t days, int64_t& y, int& m, int& d);

// 0 = Sunday .. 6 = Saturday.
inline int weekday_from_days(int64_t days) {
    const int64_t w = (days + 4) % 7;  // 1970-01-01 was a Thursday
    return static_cast<int>(w < 0 ? w + 7 : w);
}

inline int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Appends "YYYY-MM-DD HH:MM:SS.ffffff" (the fraction only when non-zero) for a UTC timestamp
// given in microseconds since the epoch.
void append_timestamp(std::string& out, int64_t micros);

// Parses YYYY-MM-DD into days since the epoch; false when malformed or not a real date.
bool parse_date(const char* text, int64_t& days);

enum class DstRule { None, US, EU, AU, LordHowe, NZ };

struct Zone {
    const char* name;     // IANA name stored in inboxes.timezone
    int std_offset;       // seconds east of UTC, standard time
    int dst_delta;        // seconds added while DST is in effect
    DstRule rule;
};

extern const Zone kZones[];
extern const int kZoneCount;

// UTC offset in seconds of zone `zone` (index into kZones) at `utc_seconds`.
int utc_offset(int zone, int64_t utc_seconds);

}  // namespace demo
