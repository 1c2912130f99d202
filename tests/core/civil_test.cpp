#include <gtest/gtest.h>

#include "support_reports/civil.hpp"

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
