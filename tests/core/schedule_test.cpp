// WeekSchedule and business_seconds: hand-worked reference values, DST days, and a randomized
// comparison against a slow, obviously-correct reference written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "support_reports/error.hpp"
#include "support_reports/schedule.hpp"
#include "test_support.hpp"

using support_reports::business_seconds;
using support_reports::ErrorKind;
using support_reports::WeekSchedule;
using support_reports::ZoneRules;
using namespace srtest;

namespace {

// Minutes of the week: Sunday 00:00 = 0, Monday 00:00 = 1440, ... Monday 09:00 = 1440 + 540 = 1980,
// Monday 17:00 = 1440 + 1020 = 2460; each later weekday adds 1440.
const std::vector<std::int32_t> kOfficeHours = {1980, 2460, 3420, 3900, 4860, 5340, 6300, 6780, 7740, 8220};

const ZoneRules kUtc = ZoneRules::fixed("UTC", 0);

double bs(Micros from, Micros to, const std::vector<std::int32_t>& minutes, const ZoneRules& zone = kUtc) {
    return business_seconds(from, to, WeekSchedule(minutes), zone);
}

// 2022-03-20 is a Sunday (day 8114; (8114 + 6) % 7 == 0), so 03-21 is a Monday ... 03-26 a Saturday.
constexpr int kSun20 = 20;

}  // namespace

// ---- reference values from the brief ---------------------------------------------------------------

TEST(BusinessSeconds, OfficeHoursReferenceValuesUtc) {
    ASSERT_EQ(weekday(day_number(2022, 3, kSun20)), 0);
    // A whole week: 5 days * 8 h = 40 h = 144000 s.
    EXPECT_EQ(bs(at(2022, 3, 20), at(2022, 3, 26, 23, 59), kOfficeHours), 144000);
    // Sun 12:00 -> Mon 14:00: Monday 09:00..14:00 = 5 h.
    EXPECT_EQ(bs(at(2022, 3, 20, 12), at(2022, 3, 21, 14), kOfficeHours), 18000);
    // Mon 08:00 -> 10:30: 09:00..10:30 = 1.5 h.
    EXPECT_EQ(bs(at(2022, 3, 21, 8), at(2022, 3, 21, 10, 30), kOfficeHours), 5400);
    // Fri 16:00 -> Mon 10:00: Fri 16..17 + Mon 9..10 = 2 h.
    EXPECT_EQ(bs(at(2022, 3, 25, 16), at(2022, 3, 28, 10), kOfficeHours), 7200);
    // Reversed: negative.
    EXPECT_EQ(bs(at(2022, 3, 21, 10, 30), at(2022, 3, 21, 8), kOfficeHours), -5400);
    // Same instant.
    EXPECT_EQ(bs(at(2022, 3, 21, 10), at(2022, 3, 21, 10), kOfficeHours), 0);
    // Empty schedule.
    EXPECT_EQ(bs(at(2022, 3, 20), at(2022, 4, 20), {}), 0);
    // Sat 10:00 -> Sun 10:00: weekend.
    EXPECT_EQ(bs(at(2022, 3, 26, 10), at(2022, 3, 27, 10), kOfficeHours), 0);
    // Fractions: Mon 09:00:00.25 -> 09:00:01 = 0.75 s.
    EXPECT_EQ(bs(at(2022, 3, 21, 9, 0, 0, 250000), at(2022, 3, 21, 9, 0, 1), kOfficeHours), 0.75);
    // Ends exactly at opening time / starts exactly at closing time: nothing.
    EXPECT_EQ(bs(at(2022, 3, 21, 8), at(2022, 3, 21, 9), kOfficeHours), 0);
    EXPECT_EQ(bs(at(2022, 3, 21, 17), at(2022, 3, 21, 18), kOfficeHours), 0);
}

TEST(BusinessSeconds, OpenAllDayCountsTheWholeDay) {
    // Monday [1440, 2880): Mon 00:00 -> Tue 00:00 = 86400 (Chatwoot's gem stores 23:59 and gets 86340;
    // we count the whole day on purpose).
    EXPECT_EQ(bs(at(2022, 3, 21), at(2022, 3, 22), {1440, 2880}), 86400);
    EXPECT_EQ(bs(at(2022, 3, 20), at(2022, 3, 27), {1440, 2880}), 86400);
}

TEST(BusinessSeconds, FixedOffsetZone) {
    const ZoneRules kolkata = ZoneRules::fixed("Asia/Kolkata", kIST);
    // Monday 2022-03-21 03:30Z..05:30Z = 09:00..11:00 IST: 2 h.
    EXPECT_EQ(bs(at(2022, 3, 21, 3, 30), at(2022, 3, 21, 5, 30), kOfficeHours, kolkata), 7200);
    // Monday 00:00Z..Tuesday 00:00Z = Mon 05:30..Tue 05:30 IST: Monday's 8 h.
    EXPECT_EQ(bs(at(2022, 3, 21), at(2022, 3, 22), kOfficeHours, kolkata), 28800);
    // Friday 2022-03-25 11:00Z = 16:30 IST -> 12:00Z = 17:30 IST: half an hour.
    EXPECT_EQ(bs(at(2022, 3, 25, 11), at(2022, 3, 25, 12), kOfficeHours, kolkata), 1800);
}

TEST(BusinessSeconds, OpenAllWeekOnDstDays) {
    const std::vector<std::int32_t> always = {0, 10080};
    const ZoneRules ny = new_york(2022, 2022).rules();
    // 2022-03-13 00:00 EST (05:00Z) -> 03-14 00:00 EDT (04:00Z): 23 h.
    EXPECT_EQ(bs(at(2022, 3, 13, 5), at(2022, 3, 14, 4), always, ny), 82800);
    // 2022-11-06 00:00 EDT (04:00Z) -> 11-07 00:00 EST (05:00Z): 25 h.
    EXPECT_EQ(bs(at(2022, 11, 6, 4), at(2022, 11, 7, 5), always, ny), 90000);

    const ZoneRules berlin_z = berlin(2022, 2022).rules();
    // 2022-03-27 00:00 CET (03-26 23:00Z) -> 03-28 00:00 CEST (03-27 22:00Z): 23 h.
    EXPECT_EQ(bs(at(2022, 3, 26, 23), at(2022, 3, 27, 22), always, berlin_z), 82800);
    // 2022-10-30 00:00 CEST (10-29 22:00Z) -> 10-31 00:00 CET (10-30 23:00Z): 25 h.
    EXPECT_EQ(bs(at(2022, 10, 29, 22), at(2022, 10, 30, 23), always, berlin_z), 90000);

    const ZoneRules lh = lord_howe(2022, 2022).rules();
    // 2022-10-02 00:00 +10:30 (10-01 13:30Z) -> 10-03 00:00 +11:00 (10-02 13:00Z): 23.5 h.
    EXPECT_EQ(bs(at(2022, 10, 1, 13, 30), at(2022, 10, 2, 13), always, lh), 84600);
    // 2022-04-03 00:00 +11:00 (04-02 13:00Z) -> 04-04 00:00 +10:30 (04-03 13:30Z): 24.5 h.
    EXPECT_EQ(bs(at(2022, 4, 2, 13), at(2022, 4, 3, 13, 30), always, lh), 88200);
}

TEST(BusinessSeconds, IntervalsThatCrossTheClockChange) {
    const ZoneRules ny = new_york(2022, 2022).rules();
    // Sunday 01:00..04:00 local = {60, 240}.
    // 2022-03-13: 01:00..02:00 EST exists (1 h), 02:00..03:00 does not, 03:00..04:00 EDT (1 h): 2 h.
    EXPECT_EQ(bs(at(2022, 3, 13, 5), at(2022, 3, 14, 4), {60, 240}, ny), 7200);
    // 2022-11-06: 01:00 EDT (05:00Z) .. 04:00 EST (09:00Z) = 4 real hours.
    EXPECT_EQ(bs(at(2022, 11, 6, 4), at(2022, 11, 7, 5), {60, 240}, ny), 14400);
    // Only the first pass of 01:xx (05:00Z..06:00Z) plus nothing else in the window: 1 h.
    EXPECT_EQ(bs(at(2022, 11, 6, 5), at(2022, 11, 6, 6), {60, 120}, ny), 3600);
    // ... and the second pass (06:00Z..07:00Z) also counts: 2 h in total for 01:00..02:00.
    EXPECT_EQ(bs(at(2022, 11, 6, 4), at(2022, 11, 6, 8), {60, 120}, ny), 7200);

    const ZoneRules lh = lord_howe(2022, 2022).rules();
    // Sunday 01:00..03:00 = {60, 180}. 2022-04-03: 01:00 +11 (14:00Z) .. 03:00 +10:30 (16:30Z) = 2.5 h.
    EXPECT_EQ(bs(at(2022, 4, 2, 13), at(2022, 4, 3, 13, 30), {60, 180}, lh), 9000);
    // 2022-10-02: 01:00 +10:30 (14:30Z) .. 03:00 +11 (16:00Z) = 1.5 h.
    EXPECT_EQ(bs(at(2022, 10, 1, 13, 30), at(2022, 10, 2, 13), {60, 180}, lh), 5400);

    // A span that ends one microsecond after a change: 1 h + 1 µs when open all week.
    const Micros spring = at(2022, 3, 13, 7);
    EXPECT_EQ(bs(spring - kHour, spring + 1, {0, 10080}, ny), 3600.000001);
    EXPECT_EQ(bs(spring - 1, spring + kHour, {0, 10080}, ny), 3600.000001);

    // Office hours are untouched by a 02:00 Sunday change: the DST-start week is still 40 h.
    EXPECT_EQ(bs(at(2022, 3, 13, 5), at(2022, 3, 20, 4), kOfficeHours, ny), 144000);
}

TEST(BusinessSeconds, SplitAndOvernightShifts) {
    // Monday 09:00..12:00 = [1980, 2160) and 13:00..17:00 = [2220, 2460): 3 h + 4 h = 7 h.
    EXPECT_EQ(bs(at(2022, 3, 21), at(2022, 3, 22), {1980, 2160, 2220, 2460}), 25200);
    // Lunch hour itself: nothing.
    EXPECT_EQ(bs(at(2022, 3, 21, 12), at(2022, 3, 21, 13), {1980, 2160, 2220, 2460}), 0);
    // Mon 22:00 (1440 + 1320 = 2760) -> Tue 06:00 (2880 + 360 = 3240), measured Mon 21:00 -> Tue 07:00: 8 h.
    EXPECT_EQ(bs(at(2022, 3, 21, 21), at(2022, 3, 22, 7), {2760, 3240}), 28800);
    // Saturday 22:00 (6*1440 + 1320 = 9960) -> Sunday 06:00 across the end of the week:
    // {9960, 10080} + {0, 360}, measured Sat 21:00 -> Sun 07:00: 2 h + 6 h.
    EXPECT_EQ(bs(at(2022, 3, 26, 21), at(2022, 3, 27, 7), {9960, 10080, 0, 360}), 28800);
    EXPECT_EQ(bs(at(2022, 3, 26, 21), at(2022, 3, 27, 7), {0, 360, 9960, 10080}), 28800);
}

TEST(WeekSchedule, TouchingIntervalsMerge) {
    const WeekSchedule a({1980, 2100, 2100, 2460});
    const WeekSchedule b({2100, 2460, 1980, 2100});  // same, listed out of order
    const WeekSchedule whole({1980, 2460});
    EXPECT_EQ(a.weekly_total(), 8 * kHour);
    EXPECT_EQ(b.weekly_total(), 8 * kHour);
    EXPECT_FALSE(a.empty());
    for (Micros t = at(2000, 1, 3, 8); t < at(2000, 1, 3, 18); t += 7 * kMinute) {
        EXPECT_EQ(a.cumulative(t), whole.cumulative(t));
        EXPECT_EQ(b.cumulative(t), whole.cumulative(t));
    }
    EXPECT_EQ(business_seconds(at(2022, 3, 21), at(2022, 3, 22), a, kUtc), 28800);
    // Three touching pieces.
    EXPECT_EQ(WeekSchedule({0, 10, 10, 20, 20, 30}).weekly_total(), 30 * kMinute);
}

TEST(WeekSchedule, WeeklyTotalAndCumulative) {
    const WeekSchedule office(kOfficeHours);
    EXPECT_EQ(office.weekly_total(), 40 * kHour);
    EXPECT_TRUE(WeekSchedule({}).empty());
    EXPECT_EQ(WeekSchedule({}).weekly_total(), 0);
    EXPECT_EQ(WeekSchedule({0, 10080}).weekly_total(), kWeek);
    // The origin is Sunday 2000-01-02 00:00.
    EXPECT_EQ(office.cumulative(at(2000, 1, 2)), 0);
    EXPECT_EQ(office.cumulative(at(2000, 1, 3, 10)), 1 * kHour);  // Monday 09..10
    EXPECT_EQ(office.cumulative(at(2000, 1, 3, 20)), 8 * kHour);
    EXPECT_EQ(office.cumulative(at(2000, 1, 9)), 40 * kHour);     // next Sunday
    EXPECT_EQ(office.cumulative(at(2000, 1, 16)), 80 * kHour);
    // Before the origin: Saturday 2000-01-01 has nothing after it up to the origin, so 0; Friday
    // 1999-12-31 12:00 has 12:00..17:00 = 5 h before the origin: -5 h.
    EXPECT_EQ(office.cumulative(at(2000, 1, 1)), 0);
    EXPECT_EQ(office.cumulative(at(1999, 12, 31, 12)), -5 * kHour);
}

TEST(WeekSchedule, MalformedSchedulesAreRejected) {
    const auto bad = [](std::vector<std::int32_t> minutes, std::vector<std::string> fragments) {
        return throws_error([&] { WeekSchedule s(minutes); }, ErrorKind::InvalidParameter, "schedule",
                            std::move(fragments));
    };
    EXPECT_TRUE(bad({1980}, {"odd", "(1)"}));
    EXPECT_TRUE(bad({1980, 2460, 3000}, {"odd", "(3)"}));
    EXPECT_TRUE(bad({-1, 60}, {"element 1", "-1"}));
    EXPECT_TRUE(bad({0, 10081}, {"element 2", "10081"}));
    EXPECT_TRUE(bad({1980, 2460, 3420, 10081}, {"element 4", "10081"}));
    EXPECT_TRUE(bad({100, 100}, {"interval 1", "[100, 100)"}));
    EXPECT_TRUE(bad({1980, 2460, 3000, 2900}, {"interval 2", "[3000, 2900)"}));
    EXPECT_TRUE(bad({100, 200, 150, 300}, {"[100, 200)", "[150, 300)", "overlap"}));
    EXPECT_TRUE(bad({3000, 4000, 100, 3500}, {"[100, 3500)", "[3000, 4000)", "overlap"}));  // out of order
    EXPECT_TRUE(bad({100, 1000, 200, 300}, {"[100, 1000)", "[200, 300)"}));                // contained
    EXPECT_TRUE(bad({100, 200, 100, 200}, {"overlap"}));                                   // duplicate
    EXPECT_TRUE(bad({100, 200, 199, 300}, {"[100, 200)", "[199, 300)"}));                  // by one minute
    // The extremes are valid.
    EXPECT_NO_THROW(WeekSchedule({0, 10080}));
    EXPECT_NO_THROW(WeekSchedule({10079, 10080, 0, 1}));
}

// ---- slow references ---------------------------------------------------------------------------------

namespace {

// Mon-Fri 09:00-17:00 in New York, the plain way: walk local dates; on a weekday, 09:00 and 17:00
// local are converted with the offset in force that day (DST from the start Sunday to the day before
// the end Sunday: both changes happen at 02:00 on a Sunday), then intersected with [from, to).
std::int64_t ny_office_hours_micros(Micros from, Micros to) {
    std::int64_t total = 0;
    for (std::int64_t day = fdiv(from, kDay) - 1; day <= fdiv(to, kDay) + 1; ++day) {
        const int w = weekday(day);
        if (w == 0 || w == 6) continue;
        const std::int64_t y = date_of(day).y;
        const bool dst = us_dst_start_day(y) <= day && day < us_dst_end_day(y);
        const std::int32_t off = dst ? kEDT : kEST;
        const Micros open = day * kDay + 9 * kHour - off * kSec;
        const Micros close = day * kDay + 17 * kHour - off * kSec;
        total += std::max<Micros>(0, std::min(close, to) - std::max(open, from));
    }
    return total;
}

// Any schedule in any zone: an instant is working time when its local reading falls in an interval.
// For every local day, each interval's part on that day is a local range; the instants reading inside
// it are, for each constant-offset piece of the zone, the range shifted by that piece's offset and
// clipped to the piece. Sum their overlaps with [from, to).
std::int64_t slow_business_micros(Micros from, Micros to, const std::vector<std::int32_t>& minutes,
                                  const TzFacts& tz) {
    if (to < from) return -slow_business_micros(to, from, minutes, tz);
    std::vector<std::pair<int, int>> per_weekday[7];
    for (std::size_t i = 0; i + 1 < minutes.size(); i += 2) {
        for (int w = 0; w < 7; ++w) {
            const int lo = std::max(minutes[i], w * 1440);
            const int hi = std::min(minutes[i + 1], (w + 1) * 1440);
            if (lo < hi) per_weekday[w].emplace_back(lo - w * 1440, hi - w * 1440);
        }
    }
    const std::vector<TzFacts::Piece> pieces = tz.pieces();
    std::int64_t total = 0;
    for (std::int64_t day = fdiv(from - 15 * kHour, kDay) - 1; day <= fdiv(to + 15 * kHour, kDay) + 1; ++day) {
        for (const auto& [a, b] : per_weekday[weekday(day)]) {
            const Micros la = day * kDay + a * kMinute;
            const Micros lb = day * kDay + b * kMinute;
            for (const TzFacts::Piece& p : pieces) {
                const Micros ua = std::max({la - p.offset * kSec, p.start, from});
                const Micros ub = std::min({lb - p.offset * kSec, p.end, to});
                if (ub > ua) total += ub - ua;
            }
        }
    }
    return total;
}

std::vector<std::int32_t> random_schedule(std::mt19937_64& rng) {
    const int intervals = static_cast<int>(rng() % 7);  // 0..6
    std::set<std::int32_t> points;
    while (points.size() < static_cast<std::size_t>(2 * intervals)) {
        // Mostly half-hour marks (so boundaries hit the clock changes), sometimes any minute.
        points.insert(rng() % 10 < 7 ? static_cast<std::int32_t>(rng() % 337) * 30
                                     : static_cast<std::int32_t>(rng() % 10081));
    }
    std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
    for (auto it = points.begin(); it != points.end(); std::advance(it, 2)) pairs.emplace_back(*it, *std::next(it));
    std::shuffle(pairs.begin(), pairs.end(), rng);  // input order must not matter
    std::vector<std::int32_t> flat;
    for (const auto& [s, e] : pairs) {
        flat.push_back(s);
        flat.push_back(e);
    }
    return flat;
}

}  // namespace

TEST(BusinessSeconds, SlowReferenceSanity) {
    // The references reproduce hand values before they are trusted.
    EXPECT_EQ(ny_office_hours_micros(at(2022, 3, 13, 5), at(2022, 3, 20, 4)), 40 * kHour);
    EXPECT_EQ(ny_office_hours_micros(at(2022, 3, 14, 13), at(2022, 3, 14, 14)), 1 * kHour);  // 09:00 EDT = 13:00Z
    EXPECT_EQ(ny_office_hours_micros(at(2022, 3, 11, 13), at(2022, 3, 11, 14)), 0);  // 08:00 EST = 13:00Z
    const TzFacts ny = new_york(2022, 2022);
    EXPECT_EQ(slow_business_micros(at(2022, 3, 13, 5), at(2022, 3, 14, 4), {0, 10080}, ny), 23 * kHour);
    EXPECT_EQ(slow_business_micros(at(2022, 11, 6, 4), at(2022, 11, 7, 5), {60, 240}, ny), 4 * kHour);
    EXPECT_EQ(slow_business_micros(at(2022, 3, 13, 5), at(2022, 3, 14, 4), {60, 240}, ny), 2 * kHour);
    // Monday 10:00 EDT (14:00Z) back to 08:00 EDT (12:00Z): minus 09:00..10:00.
    EXPECT_EQ(slow_business_micros(at(2022, 3, 21, 14), at(2022, 3, 21, 12), kOfficeHours, ny), -1 * kHour);
}

TEST(BusinessSeconds, TenYearsOfOfficeHours) {
    // 2000-01-02 (Sunday, day 1) to 2010-01-03 (Sunday, day 3653 + 2 = 3655): 3654 days = 522 weeks.
    ASSERT_EQ(day_number(2010, 1, 3) - day_number(2000, 1, 2), 522 * 7);
    const double expected = 522.0 * 144000;  // 75,168,000 s
    EXPECT_EQ(bs(at(2000, 1, 2), at(2010, 1, 3), kOfficeHours), expected);

    // New York, 2000..2010 spans the 2007 rule change. Office hours never touch a 02:00 Sunday
    // change, so whole weeks still give 522 * 40 h, from UTC midnights or from local midnights.
    const TzFacts f = new_york(1999, 2011);
    const ZoneRules ny = f.rules();
    EXPECT_EQ(ny_office_hours_micros(at(2000, 1, 2), at(2010, 1, 3)), 522 * 40 * kHour);
    EXPECT_EQ(bs(at(2000, 1, 2), at(2010, 1, 3), kOfficeHours, ny), expected);
    EXPECT_EQ(bs(at(2000, 1, 2, 5), at(2010, 1, 3, 5), kOfficeHours, ny), expected);
    // Odd endpoints in the middle of working days, compared with the day-walking reference.
    const Micros from = at(2004, 3, 10, 13, 37);
    const Micros to = at(2008, 11, 4, 15, 12, 34, 500000);
    EXPECT_EQ(bs(from, to, kOfficeHours, ny), static_cast<double>(ny_office_hours_micros(from, to)) / 1e6);
    EXPECT_EQ(bs(to, from, kOfficeHours, ny), -static_cast<double>(ny_office_hours_micros(from, to)) / 1e6);
}

TEST(BusinessSeconds, RandomizedAgainstSlowReference) {
    std::mt19937_64 rng(20220313);
    for (const TzFacts& facts : {new_york(2020, 2024), berlin(2020, 2024), lord_howe(2020, 2024)}) {
        const ZoneRules zone = facts.rules();
        std::uniform_int_distribution<Micros> anywhere(at(2021, 1, 1), at(2024, 1, 1));
        std::uniform_int_distribution<Micros> near(-2 * kDay, 2 * kDay);
        std::uniform_int_distribution<std::size_t> which(0, facts.transitions.size() - 1);
        const auto instant = [&]() -> Micros {
            const unsigned kind = rng() % 10;
            Micros t = kind < 4 ? anywhere(rng) : facts.transitions[which(rng)].at + near(rng);
            if (kind >= 7) t = fdiv(t, 30 * kMinute) * 30 * kMinute;  // on a half-hour mark
            if (kind == 9) t = facts.transitions[which(rng)].at;       // exactly on a change
            return t;
        };
        for (int i = 0; i < 1500; ++i) {
            const std::vector<std::int32_t> minutes = random_schedule(rng);
            const WeekSchedule schedule(minutes);
            const Micros from = instant();
            Micros to;
            switch (rng() % 4) {
                case 0: to = instant(); break;
                case 1: to = from + std::uniform_int_distribution<Micros>(-60 * kDay, 60 * kDay)(rng); break;
                default: to = from + std::uniform_int_distribution<Micros>(-3 * kDay, 3 * kDay)(rng); break;
            }
            const std::int64_t expected = slow_business_micros(from, to, minutes, facts);
            ASSERT_EQ(business_seconds(from, to, schedule, zone), static_cast<double>(expected) / 1e6)
                << facts.name << " from " << from << " to " << to << " schedule #" << i;
        }
    }
}
