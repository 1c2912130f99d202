// Calendar arithmetic on the proleptic Gregorian calendar, in the units Postgres uses internally:
// microseconds since 2000-01-01 00:00:00 (the Postgres epoch). Working in Postgres' own units means
// the per-row path of every aggregate converts nothing.
#pragma once

#include <cstdint>

namespace support_reports {

using Micros = std::int64_t;  // microseconds since 2000-01-01 00:00:00 (UTC or local, as named)

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kSecondsPerMinute = 60;
constexpr std::int64_t kSecondsPerHour = 3600;
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kMicrosPerHour = kSecondsPerHour * kMicrosPerSecond;
constexpr std::int64_t kMicrosPerDay = kSecondsPerDay * kMicrosPerSecond;
constexpr std::int64_t kMicrosPerWeek = 7 * kMicrosPerDay;
// Seconds from 1970-01-01 (Unix epoch) to 2000-01-01 (Postgres epoch).
constexpr std::int64_t kUnixToPostgresEpochSeconds = 946684800;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

struct CivilDate {
    std::int64_t year;
    int month;  // 1..12
    int day;    // 1..31
};

// Days since 2000-01-01 of a civil date (H. Hinnant's days_from_civil, shifted to the PG epoch).
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (m + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 - 10957;  // 10957 = days from 1970-01-01 to 2000-01-01
}

constexpr CivilDate civil_from_days(std::int64_t days_since_2000) {
    const std::int64_t z = days_since_2000 + 10957 + 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return CivilDate{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// 0 = Sunday ... 6 = Saturday. 2000-01-01 was a Saturday.
constexpr int weekday_from_days(std::int64_t days_since_2000) {
    return static_cast<int>(floor_mod(days_since_2000 + 6, 7));
}

}  // namespace support_reports

#include "support_reports/core_only.hpp"
