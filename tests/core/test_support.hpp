// Shared helpers for the core unit tests. Everything here is written independently of the code under
// test: calendar arithmetic by counting years and months, time-zone facts generated from the
// published DST rules, and a linear-scan offset lookup. Expected values in the tests come from hand
// arithmetic or from these helpers, never from the library.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "support_reports/error.hpp"
#include "support_reports/zone.hpp"

namespace srtest {

using support_reports::Micros;

constexpr std::int64_t kSec = 1000000;  // µs
constexpr std::int64_t kMinute = 60 * kSec;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kWeek = 7 * kDay;

// ---- calendar, the slow and obvious way ------------------------------------------------------------

constexpr bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(std::int64_t y, int m) {
    constexpr int kLengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kLengths[m - 1];
}

// Days since 2000-01-01 by adding up whole years and months.
constexpr std::int64_t day_number(std::int64_t y, int m, int d) {
    std::int64_t n = 0;
    for (std::int64_t yy = 2000; yy < y; ++yy) n += is_leap(yy) ? 366 : 365;
    for (std::int64_t yy = y; yy < 2000; ++yy) n -= is_leap(yy) ? 366 : 365;
    for (int mm = 1; mm < m; ++mm) n += days_in_month(y, mm);
    return n + d - 1;
}

struct Ymd {
    std::int64_t y;
    int m;
    int d;
};

// Inverse of day_number, again by counting.
inline Ymd date_of(std::int64_t day) {
    std::int64_t y = 2000;
    while (day < 0) {
        --y;
        day += is_leap(y) ? 366 : 365;
    }
    while (day >= (is_leap(y) ? 366 : 365)) {
        day -= is_leap(y) ? 366 : 365;
        ++y;
    }
    int m = 1;
    while (day >= days_in_month(y, m)) day -= days_in_month(y, m++);
    return Ymd{y, m, static_cast<int>(day) + 1};
}

// 0 = Sunday ... 6 = Saturday; 2000-01-01 (day 0) was a Saturday.
constexpr int weekday(std::int64_t day) {
    const std::int64_t r = (day + 6) % 7;
    return static_cast<int>(r < 0 ? r + 7 : r);
}

// floor(a / b) for b > 0, written out separately from civil.hpp's.
constexpr std::int64_t fdiv(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// A civil date-time as µs since 2000-01-01 00:00 (a UTC instant or a local wall-clock reading).
constexpr Micros at(std::int64_t y, int mo, int d, int h = 0, int mi = 0, int s = 0, std::int64_t us = 0) {
    return day_number(y, mo, d) * kDay + h * kHour + mi * kMinute + s * kSec + us;
}

// Day number of the n-th Sunday (n >= 1) of a month, and of its last Sunday.
inline std::int64_t nth_sunday(std::int64_t y, int m, int n) {
    std::int64_t d = day_number(y, m, 1);
    while (weekday(d) != 0) ++d;
    return d + 7 * (n - 1);
}
inline std::int64_t last_sunday(std::int64_t y, int m) {
    std::int64_t d = day_number(y, m, days_in_month(y, m));
    while (weekday(d) != 0) --d;
    return d;
}

// ---- time-zone facts ----------------------------------------------------------------------------

using Transition = support_reports::ZoneRules::Transition;

struct TzFacts {
    std::string name;
    std::int32_t initial;  // seconds east of UTC before the first transition
    std::vector<Transition> transitions;

    support_reports::ZoneRules rules() const { return support_reports::ZoneRules(name, initial, transitions); }

    // Offset in force at a UTC instant, by a linear scan (the instant of a change has the new offset).
    std::int32_t offset_at(Micros utc) const {
        std::int32_t off = initial;
        for (const Transition& t : transitions) {
            if (t.at <= utc) off = t.offset_after;
        }
        return off;
    }
    // Constant-offset pieces [start, end) with their offsets, unbounded at both ends.
    struct Piece {
        Micros start;
        Micros end;
        std::int32_t offset;
    };
    std::vector<Piece> pieces() const {
        std::vector<Piece> out;
        Micros start = INT64_MIN;
        std::int32_t off = initial;
        for (const Transition& t : transitions) {
            out.push_back(Piece{start, t.at, off});
            start = t.at;
            off = t.offset_after;
        }
        out.push_back(Piece{start, INT64_MAX, off});
        return out;
    }
};

constexpr std::int32_t kEST = -5 * 3600, kEDT = -4 * 3600;
constexpr std::int32_t kCET = 3600, kCEST = 7200;
constexpr std::int32_t kLHST = 10 * 3600 + 1800, kLHDT = 11 * 3600;  // Lord Howe +10:30 / +11:00
constexpr std::int32_t kIST = 5 * 3600 + 1800;                       // Asia/Kolkata +05:30

// America/New_York, years y0..y1 (y0 >= 1987). US rules: 1987-2006 first Sunday of April to last
// Sunday of October, from 2007 second Sunday of March to first Sunday of November, both at 02:00
// local: DST starts at 02:00 EST = 07:00Z and ends at 02:00 EDT = 06:00Z.
inline std::int64_t us_dst_start_day(std::int64_t y) { return y >= 2007 ? nth_sunday(y, 3, 2) : nth_sunday(y, 4, 1); }
inline std::int64_t us_dst_end_day(std::int64_t y) { return y >= 2007 ? nth_sunday(y, 11, 1) : last_sunday(y, 10); }
inline TzFacts new_york(std::int64_t y0, std::int64_t y1) {
    TzFacts z{"America/New_York", kEST, {}};
    for (std::int64_t y = y0; y <= y1; ++y) {
        z.transitions.push_back({us_dst_start_day(y) * kDay + 7 * kHour, kEDT});
        z.transitions.push_back({us_dst_end_day(y) * kDay + 6 * kHour, kEST});
    }
    return z;
}

// Europe/Berlin, EU rule (since 1996): last Sunday of March and of October, at 01:00 UTC.
inline TzFacts berlin(std::int64_t y0, std::int64_t y1) {
    TzFacts z{"Europe/Berlin", kCET, {}};
    for (std::int64_t y = y0; y <= y1; ++y) {
        z.transitions.push_back({last_sunday(y, 3) * kDay + 1 * kHour, kCEST});
        z.transitions.push_back({last_sunday(y, 10) * kDay + 1 * kHour, kCET});
    }
    return z;
}

// Australia/Lord_Howe (rule since 2008): DST ends the first Sunday of April at 02:00 local DST
// (+11:00), i.e. 15:00Z the Saturday before; starts the first Sunday of October at 02:00 local
// standard (+10:30), i.e. 15:30Z the Saturday before. Southern summer: DST in force on 1 January.
inline TzFacts lord_howe(std::int64_t y0, std::int64_t y1) {
    TzFacts z{"Australia/Lord_Howe", kLHDT, {}};
    for (std::int64_t y = y0; y <= y1; ++y) {
        z.transitions.push_back({(nth_sunday(y, 4, 1) - 1) * kDay + 15 * kHour, kLHST});
        z.transitions.push_back({(nth_sunday(y, 10, 1) - 1) * kDay + 15 * kHour + 30 * kMinute, kLHDT});
    }
    return z;
}

inline TzFacts kolkata() { return TzFacts{"Asia/Kolkata", kIST, {}}; }

// ---- errors --------------------------------------------------------------------------------------

// Runs f and checks that it throws support_reports::Error of `kind` about `parameter` whose message
// contains every string in `fragments`.
template <class F>
::testing::AssertionResult throws_error(F&& f, support_reports::ErrorKind kind, const std::string& parameter,
                                        std::vector<std::string> fragments = {}) {
    try {
        f();
    } catch (const support_reports::Error& e) {
        if (e.kind() != kind) {
            return ::testing::AssertionFailure()
                   << "wrong kind " << static_cast<int>(e.kind()) << " (message: " << e.what() << ")";
        }
        if (e.parameter() != parameter) {
            return ::testing::AssertionFailure()
                   << "parameter is \"" << e.parameter() << "\", expected \"" << parameter << "\"";
        }
        const std::string message = e.what();
        for (const std::string& fragment : fragments) {
            if (message.find(fragment) == std::string::npos) {
                return ::testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << fragment << "\"";
            }
        }
        return ::testing::AssertionSuccess() << message;
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << "threw a non-Error exception: " << e.what();
    }
    return ::testing::AssertionFailure() << "did not throw";
}

// A zeroed, 8-byte aligned buffer of at least `bytes` bytes for an aggregate state.
inline std::vector<std::uint64_t> state_buffer(std::size_t bytes) { return std::vector<std::uint64_t>((bytes + 7) / 8, 0); }

}  // namespace srtest
