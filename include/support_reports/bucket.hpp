// Calendar buckets in a time zone. A bucket is identified by an integer key that numbers the local
// buckets of one period consecutively (hours, days, weeks, months, quarters or years since 2000),
// so a dense series is an array indexed by key - first_key and a row is binned without searching.
#pragma once

#include <cstdint>
#include <string_view>

#include "support_reports/civil.hpp"
#include "support_reports/zone.hpp"

namespace support_reports {

enum class Period : std::uint8_t { Hour = 0, Day = 1, Week = 2, Month = 3, Quarter = 4, Year = 5 };
enum class WeekStart : std::uint8_t { Sunday = 0, Monday = 1 };

// Parse the SQL/HTTP spelling ("hour", "day", ...; case-insensitive). Throws Error naming `parameter`.
Period parse_period(std::string_view text, const char* parameter = "period");
WeekStart parse_week_start(std::string_view text, const char* parameter = "week_start");
const char* period_name(Period p) noexcept;

// Key of the local bucket containing the local wall-clock time `local`.
std::int64_t bucket_key(Micros local, Period period, WeekStart week_start) noexcept;
// Local wall-clock time at which bucket `key` starts.
Micros bucket_key_start(std::int64_t key, Period period, WeekStart week_start) noexcept;

// date_trunc(period, utc AT TIME ZONE zone) AT TIME ZONE zone, with weeks starting on `week_start`.
inline Micros bucket_start(Micros utc, Period period, WeekStart week_start, const ZoneRules& zone) noexcept {
    return zone.to_utc(bucket_key_start(bucket_key(zone.to_local(utc), period, week_start), period, week_start));
}

}  // namespace support_reports

#include "support_reports/core_only.hpp"
