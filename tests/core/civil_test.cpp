#include <gtest/gtest.h>

#include "support_reports/civil.hpp"
#include "test_support.hpp"

namespace sr = support_reports;

// Day numbers worked out by hand: 2000-01-01 is day 0; 2000 is a leap year (366 days).
TEST(Civil, DaysFromCivilKnownDates) {
    EXPECT_EQ(sr::days_from_civil(2000, 1, 1), 0);
    EXPECT_EQ(sr::days_from_civil(2000, 3, 1), 31 + 29);
    EXPECT_EQ(sr::days_from_civil(2001, 1, 1), 366);
    EXPECT_EQ(sr::days_from_civil(1999, 12, 31), -1);
    EXPECT_EQ(sr::days_from_civil(1970, 1, 1), -10957);
}

TEST(Civil, RoundTripOverFourCenturies) {
    for (std::int64_t d = -146097; d <= 146097; ++d) {
        const sr::CivilDate c = sr::civil_from_days(d);
        ASSERT_EQ(sr::days_from_civil(c.year, c.month, c.day), d) << d;
    }
}

TEST(Civil, Weekdays) {
    EXPECT_EQ(sr::weekday_from_days(0), 6);                               // 2000-01-01 Saturday
    EXPECT_EQ(sr::weekday_from_days(sr::days_from_civil(2022, 3, 20)), 0);  // a Sunday
    EXPECT_EQ(sr::weekday_from_days(sr::days_from_civil(1970, 1, 1)), 4);   // Thursday
}

TEST(Civil, FloorDivision) {
    EXPECT_EQ(sr::floor_div(-1, 24), -1);
    EXPECT_EQ(sr::floor_div(-24, 24), -1);
    EXPECT_EQ(sr::floor_div(-25, 24), -2);
    EXPECT_EQ(sr::floor_mod(-1, 7), 6);
}

// ---- the test helpers themselves, against hand-known values ---------------------------------------

using namespace srtest;

TEST(TestHelpers, DayNumbersByHand) {
    EXPECT_EQ(day_number(2000, 1, 1), 0);
    EXPECT_EQ(day_number(2000, 1, 2), 1);
    EXPECT_EQ(day_number(1999, 12, 31), -1);
    // 2000..2021 hold 22 years, 6 of them leap (2000, 04, 08, 12, 16, 20): 22*365 + 6 = 8036.
    EXPECT_EQ(day_number(2022, 1, 1), 8036);
    // 2022-03-13 = 8036 + 31 (Jan) + 28 (Feb) + 12 = 8107.
    EXPECT_EQ(day_number(2022, 3, 13), 8107);
    // 2024-01-01 = 8036 + 365 + 365 = 8766; 2024-02-29 = 8766 + 31 + 28 = 8825.
    EXPECT_EQ(day_number(2024, 2, 29), 8825);
    // 1996 is leap: 1996-01-01 = -(366 + 365 + 365 + 365) = -1461.
    EXPECT_EQ(day_number(1996, 1, 1), -1461);
    // 2010-01-01 = 10 years, 3 leap (2000, 04, 08): 3650 + 3 = 3653.
    EXPECT_EQ(day_number(2010, 1, 1), 3653);
    // 1970-01-01 is 10957 days before 2000-01-01 (30 years, 7 leap: 1972..1996): 10950 + 7.
    EXPECT_EQ(day_number(1970, 1, 1), -10957);
    // 2100 is not a leap year: Feb 28 is followed by Mar 1.
    EXPECT_EQ(day_number(2100, 3, 1) - day_number(2100, 2, 28), 1);
    EXPECT_EQ(day_number(2000, 3, 1) - day_number(2000, 2, 28), 2);
}

TEST(TestHelpers, MicrosAndWeekdaysByHand) {
    // 2022-03-13 07:00:00Z = 8107 days + 7 h.
    EXPECT_EQ(at(2022, 3, 13, 7), 8107LL * 86400000000LL + 7LL * 3600000000LL);
    EXPECT_EQ(at(1999, 12, 31, 23, 59, 59, 999999), -1);
    EXPECT_EQ(weekday(0), 6);                          // 2000-01-01 Saturday
    EXPECT_EQ(weekday(day_number(2022, 3, 20)), 0);    // Sunday
    EXPECT_EQ(weekday(day_number(2024, 1, 7)), 0);     // Sunday
    EXPECT_EQ(weekday(day_number(1996, 2, 29)), 4);    // Thursday
    EXPECT_EQ(weekday(day_number(1970, 1, 1)), 4);     // Thursday
    EXPECT_EQ(fdiv(-1, 7), -1);
    EXPECT_EQ(fdiv(-7, 7), -1);
    EXPECT_EQ(fdiv(-8, 7), -2);
    EXPECT_EQ(fdiv(7, 7), 1);
}

TEST(TestHelpers, DstRulesGiveKnownDates) {
    // Known transition dates (tzdata): New York 2006-04-02 / 2006-10-29, 2007-03-11 / 2007-11-04,
    // 2022-03-13 / 2022-11-06; Berlin 2022-03-27 / 2022-10-30; Lord Howe 2022-04-03 / 2022-10-02.
    EXPECT_EQ(us_dst_start_day(2006), day_number(2006, 4, 2));
    EXPECT_EQ(us_dst_end_day(2006), day_number(2006, 10, 29));
    EXPECT_EQ(us_dst_start_day(2007), day_number(2007, 3, 11));
    EXPECT_EQ(us_dst_end_day(2007), day_number(2007, 11, 4));
    const TzFacts ny = new_york(2022, 2022);
    ASSERT_EQ(ny.transitions.size(), 2u);
    EXPECT_EQ(ny.transitions[0].at, at(2022, 3, 13, 7));
    EXPECT_EQ(ny.transitions[1].at, at(2022, 11, 6, 6));
    const TzFacts be = berlin(2022, 2022);
    EXPECT_EQ(be.transitions[0].at, at(2022, 3, 27, 1));
    EXPECT_EQ(be.transitions[1].at, at(2022, 10, 30, 1));
    const TzFacts lh = lord_howe(2022, 2022);
    EXPECT_EQ(lh.transitions[0].at, at(2022, 4, 2, 15));
    EXPECT_EQ(lh.transitions[1].at, at(2022, 10, 1, 15, 30));
}

// The library's calendar against the helpers' independent counting, over four centuries.
TEST(Civil, AgreesWithCountingOver1800To2200) {
    std::int64_t day = day_number(1800, 1, 1);
    for (std::int64_t y = 1800; y < 2200; ++y) {
        for (int m = 1; m <= 12; ++m) {
            for (int d = 1; d <= days_in_month(y, m); ++d, ++day) {
                ASSERT_EQ(sr::days_from_civil(y, m, d), day) << y << "-" << m << "-" << d;
                const sr::CivilDate c = sr::civil_from_days(day);
                ASSERT_TRUE(c.year == y && c.month == m && c.day == d) << day;
                ASSERT_EQ(sr::weekday_from_days(day), weekday(day)) << day;
            }
        }
    }
    EXPECT_EQ(day, day_number(2200, 1, 1));
}
