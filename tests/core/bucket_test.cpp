// Calendar buckets: keys, key starts, bucket_start in zones with DST, and parsing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>

#include "support_reports/bucket.hpp"
#include "support_reports/error.hpp"
#include "test_support.hpp"

using support_reports::bucket_key;
using support_reports::bucket_key_start;
using support_reports::bucket_start;
using support_reports::ErrorKind;
using support_reports::Period;
using support_reports::WeekStart;
using support_reports::ZoneRules;
using namespace srtest;

namespace {

constexpr Period kAllPeriods[] = {Period::Hour, Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Year};
constexpr WeekStart kBothStarts[] = {WeekStart::Sunday, WeekStart::Monday};
constexpr WeekStart kSun = WeekStart::Sunday;
constexpr WeekStart kMon = WeekStart::Monday;

std::int64_t key(Micros local, Period p, WeekStart ws = kSun) { return bucket_key(local, p, ws); }

}  // namespace

// ---- parsing ---------------------------------------------------------------------------------------

TEST(Bucket, ParsePeriodAnyCase) {
    using support_reports::parse_period;
    EXPECT_EQ(parse_period("hour"), Period::Hour);
    EXPECT_EQ(parse_period("HOUR"), Period::Hour);
    EXPECT_EQ(parse_period("Day"), Period::Day);
    EXPECT_EQ(parse_period("wEeK"), Period::Week);
    EXPECT_EQ(parse_period("month"), Period::Month);
    EXPECT_EQ(parse_period("Quarter"), Period::Quarter);
    EXPECT_EQ(parse_period("YEAR"), Period::Year);
    for (Period p : kAllPeriods) EXPECT_EQ(parse_period(support_reports::period_name(p)), p);
    EXPECT_STREQ(support_reports::period_name(Period::Quarter), "quarter");
}

TEST(Bucket, ParsePeriodRejectsUnknownWords) {
    using support_reports::parse_period;
    for (const char* bad : {"", "days", "hours", " day", "day ", "fortnight", "minute", "d", "yearly"}) {
        EXPECT_TRUE(throws_error([&] { parse_period(bad); }, ErrorKind::InvalidParameter, "period")) << bad;
    }
    // The message quotes the bad word; a caller-supplied parameter name is reported as given.
    EXPECT_TRUE(throws_error([] { parse_period("fortnight"); }, ErrorKind::InvalidParameter, "period", {"fortnight"}));
    EXPECT_TRUE(throws_error([] { parse_period("x", "group_by"); }, ErrorKind::InvalidParameter, "group_by"));
}

TEST(Bucket, ParseWeekStart) {
    using support_reports::parse_week_start;
    EXPECT_EQ(parse_week_start("sunday"), kSun);
    EXPECT_EQ(parse_week_start("SUNDAY"), kSun);
    EXPECT_EQ(parse_week_start("Monday"), kMon);
    EXPECT_EQ(parse_week_start("mOnDaY"), kMon);
    for (const char* bad : {"", "tuesday", "sun", "mon", "saturday", "monday "}) {
        EXPECT_TRUE(throws_error([&] { parse_week_start(bad); }, ErrorKind::InvalidParameter, "week_start")) << bad;
    }
    EXPECT_TRUE(throws_error([] { parse_week_start("friday", "start"); }, ErrorKind::InvalidParameter, "start",
                             {"friday"}));
}

// ---- keys and key starts, worked out by hand ----------------------------------------------------------

TEST(Bucket, HourAndDayKeys) {
    // 2022-03-13 is day 8107 (8036 + 31 + 28 + 12); 12:34 is hour 8107*24 + 12 = 194580.
    EXPECT_EQ(key(at(2022, 3, 13, 12, 34), Period::Hour), 194580);
    EXPECT_EQ(key(at(2022, 3, 13, 12, 34), Period::Day), 8107);
    EXPECT_EQ(bucket_key_start(194580, Period::Hour, kSun), at(2022, 3, 13, 12));
    EXPECT_EQ(bucket_key_start(8107, Period::Day, kSun), at(2022, 3, 13));
    // The first instant of 2000 and the last microsecond before it.
    EXPECT_EQ(key(0, Period::Hour), 0);
    EXPECT_EQ(key(0, Period::Day), 0);
    EXPECT_EQ(key(-1, Period::Hour), -1);
    EXPECT_EQ(key(-1, Period::Day), -1);
    EXPECT_EQ(bucket_key_start(-1, Period::Hour, kSun), at(1999, 12, 31, 23));
    EXPECT_EQ(bucket_key_start(-1, Period::Day, kSun), at(1999, 12, 31));
    // 1969-07-20 20:17: day -(10957 - 200) = -10757 (1970-01-01 is -10957; Jul 20 1969 is 165 days
    // before it: Jul 20..31 = 12, Aug-Dec = 31+30+31+30+31 = 153).
    EXPECT_EQ(key(at(1969, 7, 20, 20, 17), Period::Day), -10957 - 165);
    EXPECT_EQ(key(at(1969, 7, 20, 20, 17), Period::Hour), (-10957 - 165) * 24 + 20);
}

TEST(Bucket, WeekKeysSundayAndMondayStarts) {
    // Sunday weeks count from Sunday 2000-01-02 (day 1), Monday weeks from Monday 2000-01-03 (day 2).
    // 2022-03-20 (Sunday) is day 8114 = 1 + 7*1159; 2022-03-26 (Saturday) is day 8120.
    EXPECT_EQ(key(at(2022, 3, 20, 0, 0), Period::Week, kSun), 1159);
    EXPECT_EQ(key(at(2022, 3, 26, 23, 59, 59, 999999), Period::Week, kSun), 1159);  // (8120-1)/7 = 1159.86
    EXPECT_EQ(key(at(2022, 3, 27), Period::Week, kSun), 1160);
    EXPECT_EQ(key(at(2022, 3, 20, 23, 59, 59, 999999) - kDay, Period::Week, kSun), 1158);  // Saturday 03-19
    EXPECT_EQ(bucket_key_start(1159, Period::Week, kSun), at(2022, 3, 20));
    // Monday weeks: Sunday 03-20 belongs to the week of Monday 03-14 ((8114-2)/7 = 1158.86 -> 1158,
    // start day 2 + 7*1158 = 8108 = 2022-03-14); Monday 03-21 (8115) starts week 1159.
    EXPECT_EQ(key(at(2022, 3, 20, 12), Period::Week, kMon), 1158);
    EXPECT_EQ(bucket_key_start(1158, Period::Week, kMon), at(2022, 3, 14));
    EXPECT_EQ(key(at(2022, 3, 21), Period::Week, kMon), 1159);
    EXPECT_EQ(key(at(2022, 3, 26, 23, 59), Period::Week, kMon), 1159);
    EXPECT_EQ(key(at(2022, 3, 27, 23, 59), Period::Week, kMon), 1159);  // Sunday closes a Monday week
    EXPECT_EQ(bucket_key_start(1159, Period::Week, kMon), at(2022, 3, 21));
    // Around the origin: Saturday 2000-01-01 is in the week before both origins.
    EXPECT_EQ(key(at(2000, 1, 1), Period::Week, kSun), -1);
    EXPECT_EQ(key(at(2000, 1, 1), Period::Week, kMon), -1);
    EXPECT_EQ(key(at(2000, 1, 2), Period::Week, kSun), 0);
    EXPECT_EQ(key(at(2000, 1, 2), Period::Week, kMon), -1);
    EXPECT_EQ(key(at(2000, 1, 3), Period::Week, kMon), 0);
    EXPECT_EQ(bucket_key_start(-1, Period::Week, kSun), at(1999, 12, 26));  // 1 - 7 = day -6
    EXPECT_EQ(bucket_key_start(-1, Period::Week, kMon), at(1999, 12, 27));  // 2 - 7 = day -5
}

TEST(Bucket, WeekKeysBefore2000) {
    // 1996-02-29 (Thursday) is day -1461 + 31 + 28 = -1402.
    // Sunday weeks: floor((-1402 - 1) / 7) = floor(-200.4) = -201, start 1 - 1407 = -1406 = 1996-02-25.
    EXPECT_EQ(key(at(1996, 2, 29, 18), Period::Week, kSun), -201);
    EXPECT_EQ(bucket_key_start(-201, Period::Week, kSun), at(1996, 2, 25));
    // Monday weeks: floor((-1402 - 2) / 7) = floor(-200.6) = -201, start 2 - 1407 = -1405 = 1996-02-26.
    EXPECT_EQ(key(at(1996, 2, 29, 18), Period::Week, kMon), -201);
    EXPECT_EQ(bucket_key_start(-201, Period::Week, kMon), at(1996, 2, 26));
    // Sunday 1996-02-25 vs Saturday 1996-02-24 at the edges.
    EXPECT_EQ(key(at(1996, 2, 25), Period::Week, kSun), -201);
    EXPECT_EQ(key(at(1996, 2, 25) - 1, Period::Week, kSun), -202);
    EXPECT_EQ(key(at(1996, 2, 26) - 1, Period::Week, kMon), -202);
}

TEST(Bucket, MonthQuarterYearKeys) {
    // Month key = (year - 2000) * 12 + month - 1; quarter = (year - 2000) * 4 + (month - 1) / 3.
    const Micros jan31_end = at(2022, 1, 31, 23, 59, 59, 999999);
    EXPECT_EQ(key(jan31_end, Period::Month), 22 * 12 + 0);  // 264
    EXPECT_EQ(key(jan31_end + 1, Period::Month), 265);      // 2022-02-01
    EXPECT_EQ(key(at(2022, 2, 28, 23, 59), Period::Month), 265);
    EXPECT_EQ(key(at(2022, 3, 1), Period::Month), 266);
    EXPECT_EQ(key(at(2022, 3, 31, 23, 59, 59, 999999), Period::Quarter), 22 * 4 + 0);  // 88
    EXPECT_EQ(key(at(2022, 4, 1), Period::Quarter), 89);
    EXPECT_EQ(key(at(2022, 12, 31, 23, 59, 59, 999999), Period::Quarter), 91);
    EXPECT_EQ(key(at(2022, 12, 31, 23, 59, 59, 999999), Period::Year), 22);
    EXPECT_EQ(key(at(2023, 1, 1), Period::Year), 23);
    // Leap day 2024-02-29 (day 8825): month 24*12 + 1 = 289, quarter 96, year 24; the next day is March.
    EXPECT_EQ(key(at(2024, 2, 29, 12), Period::Day), 8825);
    EXPECT_EQ(key(at(2024, 2, 29, 12), Period::Month), 289);
    EXPECT_EQ(key(at(2024, 2, 29, 12), Period::Quarter), 96);
    EXPECT_EQ(key(at(2024, 2, 29, 12), Period::Year), 24);
    EXPECT_EQ(key(at(2024, 2, 29, 12) + kDay, Period::Month), 290);
    // 2100 is not a leap year: 2100-02-28 + 1 day is March (month 100*12 + 2 = 1202).
    EXPECT_EQ(key(at(2100, 2, 28, 12) + kDay, Period::Month), 1202);
    // Before 2000: 1999-12-31 is month -1, quarter -1, year -1; 1996-02-29 is month -4*12 + 1 = -47.
    EXPECT_EQ(key(-1, Period::Month), -1);
    EXPECT_EQ(key(-1, Period::Quarter), -1);
    EXPECT_EQ(key(-1, Period::Year), -1);
    EXPECT_EQ(key(at(1996, 2, 29), Period::Month), -47);
    EXPECT_EQ(key(at(1996, 2, 29), Period::Quarter), -16);
    EXPECT_EQ(key(at(1996, 2, 29), Period::Year), -4);
    EXPECT_EQ(key(at(1900, 3, 1), Period::Month), -100 * 12 + 2);  // -1198
}

TEST(Bucket, MonthQuarterYearStarts) {
    const WeekStart ws = kSun;
    // 2024-02-01 = 8766 + 31 = 8797; 2024-04-01 = 8766 + 31 + 29 + 31 = 8857.
    EXPECT_EQ(bucket_key_start(289, Period::Month, ws), 8797 * kDay);
    EXPECT_EQ(bucket_key_start(96, Period::Quarter, ws), 8766 * kDay);
    EXPECT_EQ(bucket_key_start(97, Period::Quarter, ws), 8857 * kDay);
    EXPECT_EQ(bucket_key_start(24, Period::Year, ws), 8766 * kDay);
    EXPECT_EQ(bucket_key_start(0, Period::Month, ws), 0);
    // Negative keys: December 1999 starts at day -31, Q4 1999 at -(31 + 30 + 31) = -92, 1999 at -365.
    EXPECT_EQ(bucket_key_start(-1, Period::Month, ws), -31 * kDay);
    EXPECT_EQ(bucket_key_start(-1, Period::Quarter, ws), -92 * kDay);
    EXPECT_EQ(bucket_key_start(-1, Period::Year, ws), -365 * kDay);
    // 1996-02-01 = -1461 + 31 = -1430; Q1 1996 and 1996 start at -1461.
    EXPECT_EQ(bucket_key_start(-47, Period::Month, ws), -1430 * kDay);
    EXPECT_EQ(bucket_key_start(-16, Period::Quarter, ws), -1461 * kDay);
    EXPECT_EQ(bucket_key_start(-4, Period::Year, ws), -1461 * kDay);
    // Week start has no effect on months, quarters, years.
    EXPECT_EQ(bucket_key_start(-47, Period::Month, kMon), -1430 * kDay);
}

// Every bucket found for a local time contains it, starts on the right calendar boundary (checked
// with the test's own calendar), and keys are consecutive.
TEST(Bucket, KeysAndStartsAgreeWithCalendarDefinition) {
    std::mt19937_64 rng(1234);
    std::uniform_int_distribution<Micros> any(at(1890, 1, 1), at(2110, 1, 1));
    for (int i = 0; i < 4000; ++i) {
        const Micros local = i < 20 ? at(1999, 12, 25) + i * 13 * kHour : any(rng);
        for (Period p : kAllPeriods) {
            for (WeekStart ws : kBothStarts) {
                const std::int64_t k = bucket_key(local, p, ws);
                const Micros start = bucket_key_start(k, p, ws);
                const Micros next = bucket_key_start(k + 1, p, ws);
                ASSERT_LE(start, local);
                ASSERT_LT(local, next);
                ASSERT_EQ(bucket_key(start, p, ws), k);
                ASSERT_EQ(bucket_key(next, p, ws), k + 1);
                ASSERT_EQ(bucket_key(start - 1, p, ws), k - 1);

                const std::int64_t day = fdiv(start, kDay);
                const Micros time_of_day = start - day * kDay;
                const Ymd d = date_of(day);
                const Ymd ld = date_of(fdiv(local, kDay));
                switch (p) {
                    case Period::Hour:
                        ASSERT_EQ(start, fdiv(local, kHour) * kHour);
                        break;
                    case Period::Day:
                        ASSERT_EQ(start, fdiv(local, kDay) * kDay);
                        break;
                    case Period::Week:
                        ASSERT_EQ(time_of_day, 0);
                        ASSERT_EQ(weekday(day), ws == kSun ? 0 : 1);
                        ASSERT_LT(local - start, kWeek);
                        break;
                    case Period::Month:
                        ASSERT_EQ(time_of_day, 0);
                        ASSERT_TRUE(d.d == 1 && d.m == ld.m && d.y == ld.y) << local;
                        ASSERT_EQ(k, (ld.y - 2000) * 12 + ld.m - 1);
                        break;
                    case Period::Quarter:
                        ASSERT_EQ(time_of_day, 0);
                        ASSERT_TRUE(d.d == 1 && d.m == 1 + (ld.m - 1) / 3 * 3 && d.y == ld.y) << local;
                        break;
                    case Period::Year:
                        ASSERT_EQ(time_of_day, 0);
                        ASSERT_TRUE(d.d == 1 && d.m == 1 && d.y == ld.y) << local;
                        ASSERT_EQ(k, ld.y - 2000);
                        break;
                }
            }
        }
    }
}

// ---- bucket_start in zones -----------------------------------------------------------------------

namespace {
const ZoneRules& ny() {
    static const ZoneRules z = new_york(2021, 2023).rules();
    return z;
}
const ZoneRules& be() {
    static const ZoneRules z = berlin(2021, 2023).rules();
    return z;
}
}  // namespace

TEST(BucketStart, NewYorkDayBucketsOnDstDays) {
    // 2022-03-13 12:00 EDT = 16:00Z; local midnight that day is still EST: 00:00 + 5 h = 05:00Z.
    EXPECT_EQ(bucket_start(at(2022, 3, 13, 16), Period::Day, kSun, ny()), at(2022, 3, 13, 5));
    // The next day starts at 00:00 EDT = 04:00Z: 03-13 is 23 hours long.
    EXPECT_EQ(bucket_start(at(2022, 3, 14, 16), Period::Day, kSun, ny()), at(2022, 3, 14, 4));
    // 2022-11-06 12:00 EST = 17:00Z; midnight was EDT: 04:00Z. 11-07 starts at 05:00Z (25 h day).
    EXPECT_EQ(bucket_start(at(2022, 11, 6, 17), Period::Day, kSun, ny()), at(2022, 11, 6, 4));
    EXPECT_EQ(bucket_start(at(2022, 11, 7, 4, 59), Period::Day, kSun, ny()), at(2022, 11, 6, 4));
    EXPECT_EQ(bucket_start(at(2022, 11, 7, 5), Period::Day, kSun, ny()), at(2022, 11, 7, 5));
}

TEST(BucketStart, NewYorkHourBucketsAcrossGapAndOverlap) {
    // Spring: 06:59Z = 01:59 EST -> 01:00 EST = 06:00Z; 07:30Z = 03:30 EDT -> 03:00 EDT = 07:00Z.
    EXPECT_EQ(bucket_start(at(2022, 3, 13, 6, 59), Period::Hour, kSun, ny()), at(2022, 3, 13, 6));
    EXPECT_EQ(bucket_start(at(2022, 3, 13, 7, 0), Period::Hour, kSun, ny()), at(2022, 3, 13, 7));
    EXPECT_EQ(bucket_start(at(2022, 3, 13, 7, 30), Period::Hour, kSun, ny()), at(2022, 3, 13, 7));
    // Fall: 04:30Z = 00:30 EDT -> 00:00 EDT = 04:00Z.
    EXPECT_EQ(bucket_start(at(2022, 11, 6, 4, 30), Period::Hour, kSun, ny()), at(2022, 11, 6, 4));
    // 05:30Z = 01:30 EDT: date_trunc gives local 01:00, which AT TIME ZONE reads as EST: 06:00Z.
    EXPECT_EQ(bucket_start(at(2022, 11, 6, 5, 30), Period::Hour, kSun, ny()), at(2022, 11, 6, 6));
    // 06:30Z = 01:30 EST -> 01:00 EST = 06:00Z: both passes of 01:xx share one bucket.
    EXPECT_EQ(bucket_start(at(2022, 11, 6, 6, 30), Period::Hour, kSun, ny()), at(2022, 11, 6, 6));
    // 07:00Z = 02:00 EST -> 07:00Z.
    EXPECT_EQ(bucket_start(at(2022, 11, 6, 7, 0), Period::Hour, kSun, ny()), at(2022, 11, 6, 7));
}

TEST(BucketStart, NewYorkWeekMonthQuarterYear) {
    // Wednesday 2022-03-16 12:00 EDT (16:00Z). Sunday week: 2022-03-13 00:00 EST = 05:00Z.
    // Monday week: 2022-03-14 00:00 EDT = 04:00Z.
    EXPECT_EQ(bucket_start(at(2022, 3, 16, 16), Period::Week, kSun, ny()), at(2022, 3, 13, 5));
    EXPECT_EQ(bucket_start(at(2022, 3, 16, 16), Period::Week, kMon, ny()), at(2022, 3, 14, 4));
    // Sunday 2022-03-13 12:00 EDT: its own Sunday week, but the Monday week of 03-07 (00:00 EST).
    EXPECT_EQ(bucket_start(at(2022, 3, 13, 16), Period::Week, kSun, ny()), at(2022, 3, 13, 5));
    EXPECT_EQ(bucket_start(at(2022, 3, 13, 16), Period::Week, kMon, ny()), at(2022, 3, 7, 5));
    // 2022-11-15 -> 2022-11-01 00:00 EDT = 04:00Z.
    EXPECT_EQ(bucket_start(at(2022, 11, 15, 12), Period::Month, kSun, ny()), at(2022, 11, 1, 4));
    // 2022-05-05 -> Q2 starts 2022-04-01 00:00 EDT = 04:00Z.
    EXPECT_EQ(bucket_start(at(2022, 5, 5, 12), Period::Quarter, kSun, ny()), at(2022, 4, 1, 4));
    // 2022-06-01 -> 2022-01-01 00:00 EST = 05:00Z.
    EXPECT_EQ(bucket_start(at(2022, 6, 1), Period::Year, kSun, ny()), at(2022, 1, 1, 5));
    // 2023-01-01 03:00Z is still 2022-12-31 22:00 local: year 2022.
    EXPECT_EQ(bucket_start(at(2023, 1, 1, 3), Period::Year, kSun, ny()), at(2022, 1, 1, 5));
    EXPECT_EQ(bucket_start(at(2023, 1, 1, 5), Period::Year, kSun, ny()), at(2023, 1, 1, 5));
}

TEST(BucketStart, BerlinDstDays) {
    // 2022-03-27 12:00 CEST = 10:00Z; midnight that day was CET: 2022-03-26 23:00Z.
    EXPECT_EQ(bucket_start(at(2022, 3, 27, 10), Period::Day, kSun, be()), at(2022, 3, 26, 23));
    // 2022-10-30 12:00 CET = 11:00Z; midnight was CEST: 2022-10-29 22:00Z.
    EXPECT_EQ(bucket_start(at(2022, 10, 30, 11), Period::Day, kSun, be()), at(2022, 10, 29, 22));
    // Hour: 2022-03-27 01:30Z = 03:30 CEST -> 03:00 CEST = 01:00Z.
    EXPECT_EQ(bucket_start(at(2022, 3, 27, 1, 30), Period::Hour, kSun, be()), at(2022, 3, 27, 1));
    // Hour: 2022-10-30 00:30Z = 02:30 CEST -> local 02:00, read as CET = 01:00Z.
    EXPECT_EQ(bucket_start(at(2022, 10, 30, 0, 30), Period::Hour, kSun, be()), at(2022, 10, 30, 1));
    // Month of 2022-04-10: 2022-04-01 00:00 CEST = 2022-03-31 22:00Z; January: 2021-12-31 23:00Z.
    EXPECT_EQ(bucket_start(at(2022, 4, 10), Period::Month, kSun, be()), at(2022, 3, 31, 22));
    EXPECT_EQ(bucket_start(at(2022, 1, 10), Period::Month, kSun, be()), at(2021, 12, 31, 23));
    // Monday week of Sunday 2022-10-30 12:00 CET: Monday 10-24 00:00 CEST = 10-23 22:00Z.
    EXPECT_EQ(bucket_start(at(2022, 10, 30, 11), Period::Week, kMon, be()), at(2022, 10, 23, 22));
}

TEST(BucketStart, HalfHourZones) {
    const ZoneRules k = ZoneRules::fixed("Asia/Kolkata", kIST);
    // 2022-01-01 00:00Z = 05:30 IST: hour 05:00 IST = 2021-12-31 23:30Z; day = 2021-12-31 18:30Z.
    EXPECT_EQ(bucket_start(at(2022, 1, 1), Period::Hour, kSun, k), at(2021, 12, 31, 23, 30));
    EXPECT_EQ(bucket_start(at(2022, 1, 1), Period::Day, kSun, k), at(2021, 12, 31, 18, 30));
    EXPECT_EQ(bucket_start(at(2021, 12, 31, 18, 29), Period::Day, kSun, k), at(2021, 12, 30, 18, 30));

    const ZoneRules lh = lord_howe(2021, 2023).rules();
    // 2022-04-02 15:10Z = 01:40 LHST (second pass of 01:30..01:59): local 01:00 is before the
    // overlap, i.e. +11:00: 14:00Z.
    EXPECT_EQ(bucket_start(at(2022, 4, 2, 15, 10), Period::Hour, kSun, lh), at(2022, 4, 2, 14));
    // Day of 2022-04-03 12:00 LHST (01:30Z): midnight was +11:00 = 04-02 13:00Z.
    EXPECT_EQ(bucket_start(at(2022, 4, 3, 1, 30), Period::Day, kSun, lh), at(2022, 4, 2, 13));
    // Day of 2022-10-02 12:00 LHDT (01:00Z): midnight was +10:30 = 10-01 13:30Z.
    EXPECT_EQ(bucket_start(at(2022, 10, 2, 1), Period::Day, kSun, lh), at(2022, 10, 1, 13, 30));
    // Hour in the gap day: 2022-10-01 15:40Z = 02:40 LHDT -> local 02:00, which does not exist and is
    // read with +10:30: 15:30Z.
    EXPECT_EQ(bucket_start(at(2022, 10, 1, 15, 40), Period::Hour, kSun, lh), at(2022, 10, 1, 15, 30));
}

// bucket_start agrees with a direct formulation: truncate the local reading with the test's own
// calendar, then convert back to UTC by looking for the offset(s) that give that reading and taking
// the later instant (or, in a gap, the reading with the offset in force just before the gap).
TEST(BucketStart, AgreesWithIndependentTruncationInNewYork) {
    const TzFacts f = new_york(2021, 2023);
    const ZoneRules z = f.rules();
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<Micros> any(at(2021, 2, 1), at(2023, 12, 1));
    for (int i = 0; i < 5000; ++i) {
        const Micros u = any(rng);
        const Micros local = u + f.offset_at(u) * kSec;
        for (Period p : kAllPeriods) {
            for (WeekStart ws : kBothStarts) {
                // Truncate by hand.
                const std::int64_t day = fdiv(local, kDay);
                const Ymd d = date_of(day);
                Micros t = 0;
                switch (p) {
                    case Period::Hour: t = fdiv(local, kHour) * kHour; break;
                    case Period::Day: t = day * kDay; break;
                    case Period::Week: {
                        std::int64_t s = day;
                        while (weekday(s) != (ws == kSun ? 0 : 1)) --s;
                        t = s * kDay;
                        break;
                    }
                    case Period::Month: t = day_number(d.y, d.m, 1) * kDay; break;
                    case Period::Quarter: t = day_number(d.y, 1 + (d.m - 1) / 3 * 3, 1) * kDay; break;
                    case Period::Year: t = day_number(d.y, 1, 1) * kDay; break;
                }
                // Back to UTC: candidates t - EST and t - EDT that really read as t; take the later.
                Micros expected = INT64_MIN;
                for (std::int32_t off : {kEST, kEDT}) {
                    const Micros cand = t - off * kSec;
                    if (f.offset_at(cand) == off) expected = std::max(expected, cand);
                }
                if (expected == INT64_MIN) expected = t - kEST * kSec;  // in the spring gap: EST reading
                ASSERT_EQ(bucket_start(u, p, ws, z), expected) << u << " " << support_reports::period_name(p);
            }
        }
    }
}
