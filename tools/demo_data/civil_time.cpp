#include "civil_time.hpp"

#include <cstring>

namespace demo {

int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t days, int64_t& y, int& m, int& d) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2);
}

namespace {

inline void put2(char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

void append_timestamp(std::string& out, int64_t micros) {
    const int64_t secs = floor_div(micros, 1000000);
    const int64_t frac = micros - secs * 1000000;
    const int64_t days = floor_div(secs, 86400);
    const int64_t sod = secs - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, y, m, d);

    char buf[32];
    const int yy = static_cast<int>(y);
    buf[0] = static_cast<char>('0' + (yy / 1000) % 10);
    buf[1] = static_cast<char>('0' + (yy / 100) % 10);
    buf[2] = static_cast<char>('0' + (yy / 10) % 10);
    buf[3] = static_cast<char>('0' + yy % 10);
    buf[4] = '-';
    put2(buf + 5, m);
    buf[7] = '-';
    put2(buf + 8, d);
    buf[10] = ' ';
    put2(buf + 11, static_cast<int>(sod / 3600));
    buf[13] = ':';
    put2(buf + 14, static_cast<int>(sod / 60 % 60));
    buf[16] = ':';
    put2(buf + 17, static_cast<int>(sod % 60));
    size_t n = 19;
    if (frac != 0) {
        buf[n++] = '.';
        int64_t f = frac;
        for (int i = 5; i >= 0; --i) {
            buf[n + static_cast<size_t>(i)] = static_cast<char>('0' + f % 10);
            f /= 10;
        }
        n += 6;
    }
    out.append(buf, n);
}

bool parse_date(const char* text, int64_t& days) {
    if (std::strlen(text) != 10 || text[4] != '-' || text[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return false;
    const int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    const int m = (text[5] - '0') * 10 + (text[6] - '0');
    const int d = (text[8] - '0') * 10 + (text[9] - '0');
    if (y < 1971 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
    int64_t yy;
    int mm, dd;
    days = days_from_civil(y, m, d);
    civil_from_days(days, yy, mm, dd);
    return yy == y && mm == m && dd == d;  // rejects 2023-02-30 and friends
}

// The zones inboxes are given. Several observe DST (in both hemispheres, and Lord Howe with its
// 30-minute shift) and several have non-hour offsets, because those are what breaks naive
// time-zone code in reports.
const Zone kZones[] = {
    {"UTC", 0, 0, DstRule::None},
    {"America/New_York", -5 * 3600, 3600, DstRule::US},
    {"America/Chicago", -6 * 3600, 3600, DstRule::US},
    {"America/Los_Angeles", -8 * 3600, 3600, DstRule::US},
    {"America/St_Johns", -(3 * 3600 + 1800), 3600, DstRule::US},
    {"America/Sao_Paulo", -3 * 3600, 0, DstRule::None},
    {"Europe/London", 0, 3600, DstRule::EU},
    {"Europe/Berlin", 3600, 3600, DstRule::EU},
    {"Asia/Riyadh", 3 * 3600, 0, DstRule::None},
    {"Asia/Kolkata", 5 * 3600 + 1800, 0, DstRule::None},
    {"Asia/Kathmandu", 5 * 3600 + 2700, 0, DstRule::None},
    {"Asia/Singapore", 8 * 3600, 0, DstRule::None},
    {"Asia/Tokyo", 9 * 3600, 0, DstRule::None},
    {"Australia/Sydney", 10 * 3600, 3600, DstRule::AU},
    {"Australia/Lord_Howe", 10 * 3600 + 1800, 1800, DstRule::LordHowe},
    {"Pacific/Auckland", 12 * 3600, 3600, DstRule::NZ},
};
const int kZoneCount = static_cast<int>(sizeof(kZones) / sizeof(kZones[0]));

namespace {

int64_t nth_sunday(int64_t y, int month, int n) {
    const int64_t first = days_from_civil(y, month, 1);
    return first + (7 - weekday_from_days(first)) % 7 + 7 * (n - 1);
}

int64_t last_sunday(int64_t y, int month) {
    const int64_t last = (month == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, month + 1, 1)) - 1;
    return last - weekday_from_days(last);
}

// DST start/end instants (UTC seconds) within local year `y`, per the current rules of each
// region (US since 2007, EU since 1996, AU/NZ since 2007/2008).
void transitions(const Zone& z, int64_t y, int64_t& start, int64_t& end) {
    const int64_t s = z.std_offset;
    const int64_t dst = z.std_offset + z.dst_delta;
    switch (z.rule) {
        case DstRule::US:  // 2nd Sunday March 02:00 standard .. 1st Sunday November 02:00 daylight
            start = nth_sunday(y, 3, 2) * 86400 + 7200 - s;
            end = nth_sunday(y, 11, 1) * 86400 + 7200 - dst;
            break;
        case DstRule::EU:  // last Sunday March 01:00 UTC .. last Sunday October 01:00 UTC
            start = last_sunday(y, 3) * 86400 + 3600;
            end = last_sunday(y, 10) * 86400 + 3600;
            break;
        case DstRule::AU:  // 1st Sunday October 02:00 standard .. 1st Sunday April 03:00 daylight
            start = nth_sunday(y, 10, 1) * 86400 + 7200 - s;
            end = nth_sunday(y, 4, 1) * 86400 + 10800 - dst;
            break;
        case DstRule::LordHowe:  // 1st Sunday October 02:00 .. 1st Sunday April 02:00 daylight
            start = nth_sunday(y, 10, 1) * 86400 + 7200 - s;
            end = nth_sunday(y, 4, 1) * 86400 + 7200 - dst;
            break;
        case DstRule::NZ:  // last Sunday September 02:00 standard .. 1st Sunday April 03:00 daylight
            start = last_sunday(y, 9) * 86400 + 7200 - s;
            end = nth_sunday(y, 4, 1) * 86400 + 10800 - dst;
            break;
        case DstRule::None:
            start = end = 0;
            break;
    }
}

}  // namespace

int utc_offset(int zone, int64_t utc_seconds) {
    const Zone& z = kZones[zone];
    if (z.rule == DstRule::None) return z.std_offset;
    int64_t y;
    int m, d;
    civil_from_days(floor_div(utc_seconds + z.std_offset, 86400), y, m, d);
    int64_t start = 0, end = 0;
    transitions(z, y, start, end);
    const bool southern = start > end;  // DST spans the turn of the year
    const bool in_dst = southern ? (utc_seconds >= start || utc_seconds < end)
                                 : (utc_seconds >= start && utc_seconds < end);
    return z.std_offset + (in_dst ? z.dst_delta : 0);
}

}  // namespace demo
