#include "support_reports/bucket.hpp"

#include <cctype>
#include <string>

#include "support_reports/error.hpp"

namespace support_reports {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    }
    return true;
}

// Day numbers (since 2000-01-01) of a Sunday and a Monday: week keys count weeks from them.
constexpr std::int64_t kFirstSunday = 1;  // 2000-01-02
constexpr std::int64_t kFirstMonday = 2;  // 2000-01-03

std::int64_t week_origin(WeekStart ws) { return ws == WeekStart::Sunday ? kFirstSunday : kFirstMonday; }

}  // namespace

Period parse_period(std::string_view text, const char* parameter) {
    static constexpr struct {
        std::string_view name;
        Period period;
    } kNames[] = {{"hour", Period::Hour},   {"day", Period::Day},         {"week", Period::Week},
                  {"month", Period::Month}, {"quarter", Period::Quarter}, {"year", Period::Year}};
    for (const auto& n : kNames) {
        if (equals_ignoring_case(text, n.name)) return n.period;
    }
    invalid_parameter(parameter, "invalid " + std::string(parameter) + " \"" + std::string(text) + "\"",
                      "Valid values are hour, day, week, month, quarter and year.");
}

WeekStart parse_week_start(std::string_view text, const char* parameter) {
    if (equals_ignoring_case(text, "sunday")) return WeekStart::Sunday;
    if (equals_ignoring_case(text, "monday")) return WeekStart::Monday;
    invalid_parameter(parameter, "invalid " + std::string(parameter) + " \"" + std::string(text) + "\"",
                      "Valid values are sunday and monday.");
}

const char* period_name(Period p) noexcept {
    switch (p) {
        case Period::Hour: return "hour";
        case Period::Day: return "day";
        case Period::Week: return "week";
        case Period::Month: return "month";
        case Period::Quarter: return "quarter";
        case Period::Year: return "year";
    }
    return "?";
}

std::int64_t bucket_key(Micros local, Period period, WeekStart week_start) noexcept {
    switch (period) {
        case Period::Hour: return floor_div(local, kMicrosPerHour);
        case Period::Day: return floor_div(local, kMicrosPerDay);
        case Period::Week: return floor_div(floor_div(local, kMicrosPerDay) - week_origin(week_start), 7);
        default: break;
    }
    const CivilDate d = civil_from_days(floor_div(local, kMicrosPerDay));
    const std::int64_t years = d.year - 2000;
    switch (period) {
        case Period::Month: return years * 12 + (d.month - 1);
        case Period::Quarter: return years * 4 + (d.month - 1) / 3;
        default: return years;
    }
}

Micros bucket_key_start(std::int64_t key, Period period, WeekStart week_start) noexcept {
    switch (period) {
        case Period::Hour: return key * kMicrosPerHour;
        case Period::Day: return key * kMicrosPerDay;
        case Period::Week: return (week_origin(week_start) + key * 7) * kMicrosPerDay;
        case Period::Month:
            return days_from_civil(2000 + floor_div(key, 12), static_cast<int>(floor_mod(key, 12)) + 1, 1) *
                   kMicrosPerDay;
        case Period::Quarter:
            return days_from_civil(2000 + floor_div(key, 4), static_cast<int>(floor_mod(key, 4)) * 3 + 1, 1) *
                   kMicrosPerDay;
        case Period::Year: return days_from_civil(2000 + key, 1, 1) * kMicrosPerDay;
    }
    return 0;
}

}  // namespace support_reports
