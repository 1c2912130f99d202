// ZoneRules and ZoneCursor against hand-built zones (tzdata facts, see test_support.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "support_reports/error.hpp"
#include "support_reports/zone.hpp"
#include "test_support.hpp"

using support_reports::Error;
using support_reports::ZoneCursor;
using support_reports::ZoneRules;
using namespace srtest;

namespace {

constexpr Micros kMin = std::numeric_limits<Micros>::min();
constexpr Micros kMax = std::numeric_limits<Micros>::max();

// New York 2022: DST from 2022-03-13 07:00Z (02:00 EST) to 2022-11-06 06:00Z (02:00 EDT).
const Micros kNySpring = at(2022, 3, 13, 7);
const Micros kNyFall = at(2022, 11, 6, 6);
// Lord Howe 2022: +11:00 -> +10:30 at 2022-04-02 15:00Z, +10:30 -> +11:00 at 2022-10-01 15:30Z.
const Micros kLhEnd = at(2022, 4, 2, 15);
const Micros kLhStart = at(2022, 10, 1, 15, 30);

ZoneRules ny2022() { return ZoneRules("America/New_York", kEST, {{kNySpring, kEDT}, {kNyFall, kEST}}); }
ZoneRules berlin2022() {
    return ZoneRules("Europe/Berlin", kCET, {{at(2022, 3, 27, 1), kCEST}, {at(2022, 10, 30, 1), kCET}});
}
ZoneRules lord_howe2022() { return ZoneRules("Australia/Lord_Howe", kLHDT, {{kLhEnd, kLHST}, {kLhStart, kLHDT}}); }

}  // namespace

// ---- offset_at, segments ---------------------------------------------------------------------------

TEST(ZoneRules, OffsetAroundEachTransitionNewYork) {
    const ZoneRules z = ny2022();
    EXPECT_EQ(z.name(), "America/New_York");
    EXPECT_EQ(z.transition_count(), 2u);
    EXPECT_EQ(z.offset_at(at(2022, 1, 15, 12)), -18000);
    EXPECT_EQ(z.offset_at(kNySpring - 1), -18000);  // 01:59:59.999999 EST
    EXPECT_EQ(z.offset_at(kNySpring), -14400);      // the instant itself already has the new offset
    EXPECT_EQ(z.offset_at(kNySpring + 1), -14400);
    EXPECT_EQ(z.offset_at(at(2022, 7, 4, 12)), -14400);
    EXPECT_EQ(z.offset_at(kNyFall - 1), -14400);
    EXPECT_EQ(z.offset_at(kNyFall), -18000);
    EXPECT_EQ(z.offset_at(kNyFall + 1), -18000);
    EXPECT_EQ(z.offset_at(kMin), -18000);
    EXPECT_EQ(z.offset_at(kMax), -18000);
}

TEST(ZoneRules, OffsetAroundEachTransitionBerlinAndLordHowe) {
    const ZoneRules b = berlin2022();
    EXPECT_EQ(b.offset_at(at(2022, 3, 27, 1) - 1), 3600);
    EXPECT_EQ(b.offset_at(at(2022, 3, 27, 1)), 7200);
    EXPECT_EQ(b.offset_at(at(2022, 10, 30, 1) - 1), 7200);
    EXPECT_EQ(b.offset_at(at(2022, 10, 30, 1)), 3600);

    const ZoneRules lh = lord_howe2022();
    EXPECT_EQ(lh.offset_at(kLhEnd - 1), 39600);  // +11:00
    EXPECT_EQ(lh.offset_at(kLhEnd), 37800);      // +10:30
    EXPECT_EQ(lh.offset_at(kLhStart - 1), 37800);
    EXPECT_EQ(lh.offset_at(kLhStart), 39600);
}

TEST(ZoneRules, SegmentsNewYork) {
    const ZoneRules z = ny2022();
    ASSERT_EQ(z.segment_count(), 3u);
    EXPECT_EQ(z.segment_of(kMin), 0u);
    EXPECT_EQ(z.segment_of(kNySpring - 1), 0u);
    EXPECT_EQ(z.segment_of(kNySpring), 1u);
    EXPECT_EQ(z.segment_of(kNyFall - 1), 1u);
    EXPECT_EQ(z.segment_of(kNyFall), 2u);
    EXPECT_EQ(z.segment_of(kMax), 2u);

    EXPECT_EQ(z.segment_start(0), kMin);  // unbounded below
    EXPECT_EQ(z.segment_end(0), kNySpring);
    EXPECT_EQ(z.segment_start(1), kNySpring);
    EXPECT_EQ(z.segment_end(1), kNyFall);
    EXPECT_EQ(z.segment_start(2), kNyFall);
    EXPECT_EQ(z.segment_end(2), kMax);  // unbounded above
    EXPECT_EQ(z.segment_offset(0), -18000);
    EXPECT_EQ(z.segment_offset(1), -14400);
    EXPECT_EQ(z.segment_offset(2), -18000);
}

TEST(ZoneRules, ConstructorRejectsBadTransitions) {
    // Out of order.
    EXPECT_THROW(ZoneRules("x", kEST, {{kNyFall, kEST}, {kNySpring, kEDT}}), Error);
    // Not strictly increasing.
    EXPECT_THROW(ZoneRules("x", kEST, {{kNySpring, kEDT}, {kNySpring, kEST}}), Error);
    // Not whole seconds.
    EXPECT_THROW(ZoneRules("x", kEST, {{kNySpring + 1, kEDT}}), Error);
    // A transition before 2000 (negative Micros) is fine.
    EXPECT_NO_THROW(ZoneRules("x", kEST, {{-kDay, kEDT}, {kNySpring, kEST}}));
    EXPECT_NO_THROW(ZoneRules("x", kEST, {}));
}

TEST(ZoneRules, Fixed) {
    const ZoneRules k = ZoneRules::fixed("Asia/Kolkata", kIST);
    EXPECT_EQ(k.name(), "Asia/Kolkata");
    EXPECT_EQ(k.transition_count(), 0u);
    EXPECT_EQ(k.segment_count(), 1u);
    EXPECT_EQ(k.segment_of(at(2022, 6, 1)), 0u);
    EXPECT_EQ(k.segment_end(0), kMax);
    for (Micros t : {kMin, at(1950, 1, 1), Micros{0}, at(2022, 3, 13, 7), kMax}) EXPECT_EQ(k.offset_at(t), 19800);
    // 2022-01-01 00:00Z is 05:30 in Kolkata, and back.
    EXPECT_EQ(k.to_local(at(2022, 1, 1)), at(2022, 1, 1, 5, 30));
    EXPECT_EQ(k.to_utc(at(2022, 1, 1, 5, 30)), at(2022, 1, 1));
    // Before 2000: 1999-12-31 20:00Z = 2000-01-01 01:30 IST.
    EXPECT_EQ(k.to_local(at(1999, 12, 31, 20)), at(2000, 1, 1, 1, 30));
    EXPECT_EQ(k.to_utc(at(2000, 1, 1, 1, 30)), at(1999, 12, 31, 20));
}

TEST(ZoneRules, OffsetAtAgreesWithLinearScan) {
    for (const TzFacts& f : {new_york(1990, 2030), berlin(1996, 2030), lord_howe(2008, 2030)}) {
        const ZoneRules z = f.rules();
        std::mt19937_64 rng(7);
        std::uniform_int_distribution<Micros> any(at(1985, 1, 1), at(2035, 1, 1));
        for (int i = 0; i < 2000; ++i) {
            const Micros t = any(rng);
            ASSERT_EQ(z.offset_at(t), f.offset_at(t)) << f.name << " " << t;
        }
        for (const Transition& tr : f.transitions) {
            ASSERT_EQ(z.offset_at(tr.at), tr.offset_after);
            ASSERT_EQ(z.offset_at(tr.at - 1), f.offset_at(tr.at - 1));
        }
    }
}

TEST(ZoneCursor, SameAnswersAsOffsetAtForShuffledInstants) {
    const TzFacts f = lord_howe(2008, 2030);
    const ZoneRules z = f.rules();
    std::vector<Micros> instants = {kMin, kMin + 1, -kDay, 0, kMax - 1, kMax};
    for (const Transition& t : f.transitions) {
        for (Micros d : {-kDay, -kHour, -Micros{1}, Micros{0}, Micros{1}, kHour, kDay}) instants.push_back(t.at + d);
    }
    std::mt19937_64 rng(2022);
    std::uniform_int_distribution<Micros> any(at(2005, 1, 1), at(2033, 1, 1));
    for (int i = 0; i < 3000; ++i) instants.push_back(any(rng));
    // Runs of nearby instants, as in an index-ordered scan, then everything shuffled.
    std::vector<Micros> sorted = instants;
    std::sort(sorted.begin(), sorted.end());
    std::shuffle(instants.begin(), instants.end(), rng);

    for (const std::vector<Micros>* order : {&sorted, &instants}) {
        ZoneCursor cursor(z);
        EXPECT_EQ(&cursor.zone(), &z);
        for (Micros t : *order) {
            const std::int32_t expected = f.offset_at(t);
            ASSERT_EQ(cursor.offset_at(t), expected) << t;
            ASSERT_EQ(z.offset_at(t), expected) << t;
            if (t > kMin + kDay && t < kMax - kDay) {
                ASSERT_EQ(cursor.to_local(t), t + expected * kSec) << t;
            }
        }
    }
}

// ---- to_utc: Postgres' `timestamp AT TIME ZONE` rule ---------------------------------------------

TEST(ZoneRulesToUtc, OrdinaryTimes) {
    const ZoneRules z = ny2022();
    EXPECT_EQ(z.to_utc(at(2022, 1, 15, 12)), at(2022, 1, 15, 17));  // EST: +5 h
    EXPECT_EQ(z.to_utc(at(2022, 7, 4, 12)), at(2022, 7, 4, 16));    // EDT: +4 h
    EXPECT_EQ(z.to_utc(at(2022, 12, 31, 23, 59, 59)), at(2023, 1, 1, 4, 59, 59));
    EXPECT_EQ(z.to_utc(at(1999, 12, 31, 22)), at(2000, 1, 1, 3));  // before 2000: negative local
    const ZoneRules b = berlin2022();
    EXPECT_EQ(b.to_utc(at(2022, 1, 1)), at(2021, 12, 31, 23));
    EXPECT_EQ(b.to_utc(at(2022, 6, 1, 12)), at(2022, 6, 1, 10));
}

TEST(ZoneRulesToUtc, NewYorkSpringForwardGapTakesTheLaterReading) {
    const ZoneRules z = ny2022();
    // 02:00..02:59 local does not exist on 2022-03-13; read with the pre-transition offset (-5 h).
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 1, 59, 59)), at(2022, 3, 13, 6, 59, 59));  // EST, before the gap
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 2, 0)), at(2022, 3, 13, 7, 0));
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 2, 30)), at(2022, 3, 13, 7, 30));
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 2, 59, 59)), at(2022, 3, 13, 7, 59, 59));
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 3, 0)), at(2022, 3, 13, 7, 0));  // EDT, after the gap
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 3, 30)), at(2022, 3, 13, 7, 30));
}

TEST(ZoneRulesToUtc, NewYorkFallBackOverlapTakesTheLaterReading) {
    const ZoneRules z = ny2022();
    // 01:00..01:59 local happens twice on 2022-11-06 (EDT, then EST); the later reading is EST (+5 h).
    EXPECT_EQ(z.to_utc(at(2022, 11, 6, 0, 59, 59)), at(2022, 11, 6, 4, 59, 59));  // EDT
    EXPECT_EQ(z.to_utc(at(2022, 11, 6, 1, 0)), at(2022, 11, 6, 6, 0));
    EXPECT_EQ(z.to_utc(at(2022, 11, 6, 1, 30)), at(2022, 11, 6, 6, 30));
    EXPECT_EQ(z.to_utc(at(2022, 11, 6, 1, 59, 59)), at(2022, 11, 6, 6, 59, 59));
    EXPECT_EQ(z.to_utc(at(2022, 11, 6, 2, 0)), at(2022, 11, 6, 7, 0));  // EST
}

TEST(ZoneRulesToUtc, BerlinGapAndOverlap) {
    const ZoneRules b = berlin2022();
    // 2022-03-27 02:00..02:59 local missing: 02:30 read as CET (+1 h) = 01:30Z.
    EXPECT_EQ(b.to_utc(at(2022, 3, 27, 2, 30)), at(2022, 3, 27, 1, 30));
    EXPECT_EQ(b.to_utc(at(2022, 3, 27, 3, 0)), at(2022, 3, 27, 1, 0));
    // 2022-10-30 02:00..02:59 local twice: 02:30 read as CET = 01:30Z.
    EXPECT_EQ(b.to_utc(at(2022, 10, 30, 2, 30)), at(2022, 10, 30, 1, 30));
    EXPECT_EQ(b.to_utc(at(2022, 10, 30, 1, 59)), at(2022, 10, 29, 23, 59));  // CEST, before the overlap
}

TEST(ZoneRulesToUtc, LordHoweThirtyMinuteGapAndOverlap) {
    const ZoneRules z = lord_howe2022();
    // DST starts 2022-10-02 02:00 local (+10:30) -> 02:30 (+11:00): local [02:00, 02:30) is missing.
    // 02:15 read with the pre-transition +10:30: 02:15 - 10:30 = 15:45Z on 10-01.
    EXPECT_EQ(z.to_utc(at(2022, 10, 2, 1, 59)), at(2022, 10, 1, 15, 29));  // 01:59 - 10:30
    EXPECT_EQ(z.to_utc(at(2022, 10, 2, 2, 0)), at(2022, 10, 1, 15, 30));
    EXPECT_EQ(z.to_utc(at(2022, 10, 2, 2, 15)), at(2022, 10, 1, 15, 45));
    EXPECT_EQ(z.to_utc(at(2022, 10, 2, 2, 30)), at(2022, 10, 1, 15, 30));  // 02:30 - 11:00
    EXPECT_EQ(z.to_utc(at(2022, 10, 2, 3, 0)), at(2022, 10, 1, 16, 0));
    // DST ends 2022-04-03 02:00 local (+11:00) -> 01:30 (+10:30): local [01:30, 02:00) happens twice.
    // 01:45: +11:00 reading 14:45Z, +10:30 reading 15:15Z; the later one wins.
    EXPECT_EQ(z.to_utc(at(2022, 4, 3, 1, 29)), at(2022, 4, 2, 14, 29));  // 01:29 - 11:00
    EXPECT_EQ(z.to_utc(at(2022, 4, 3, 1, 30)), at(2022, 4, 2, 15, 0));
    EXPECT_EQ(z.to_utc(at(2022, 4, 3, 1, 45)), at(2022, 4, 2, 15, 15));
    EXPECT_EQ(z.to_utc(at(2022, 4, 3, 2, 0)), at(2022, 4, 2, 15, 30));  // 02:00 - 10:30
}

TEST(ZoneRulesToUtc, FractionalSecondsCarriedThrough) {
    const ZoneRules z = ny2022();
    const Micros quarter = kSec / 4;
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 2, 30, 0, quarter)), at(2022, 3, 13, 7, 30, 0, quarter));  // gap
    EXPECT_EQ(z.to_utc(at(2022, 11, 6, 1, 30, 0, quarter)), at(2022, 11, 6, 6, 30, 0, quarter));  // overlap
    EXPECT_EQ(z.to_utc(at(2022, 5, 1, 8, 0, 0, 999999)), at(2022, 5, 1, 12, 0, 0, 999999));
    // Negative local: 1999-12-31 23:59:59.75 EST = 2000-01-01 04:59:59.75Z.
    EXPECT_EQ(z.to_utc(at(1999, 12, 31, 23, 59, 59, 750000)), at(2000, 1, 1, 4, 59, 59, 750000));
    // Just before the gap by a fraction: 01:59:59.999999 EST.
    EXPECT_EQ(z.to_utc(at(2022, 3, 13, 1, 59, 59, 999999)), at(2022, 3, 13, 6, 59, 59, 999999));
    const ZoneRules lh = lord_howe2022();
    EXPECT_EQ(lh.to_utc(at(2022, 10, 2, 2, 15, 0, quarter)), at(2022, 10, 1, 15, 45, 0, quarter));
}

TEST(ZoneRulesToUtc, FractionsJustBeforeAClockChangeBefore2000) {
    // New York 1999: DST from Sunday 1999-04-04 07:00Z to Sunday 1999-10-31 06:00Z. Local times are
    // negative here, so the whole second must be found by rounding down, not toward zero.
    const ZoneRules z = new_york(1999, 1999).rules();
    const Micros quarter = kSec / 4;
    // 00:59:59.75 on 10-31 is EDT (the repeated hour starts at 01:00): + 4 h = 04:59:59.75Z.
    EXPECT_EQ(z.to_utc(at(1999, 10, 31, 1) - quarter), at(1999, 10, 31, 4, 59, 59, 750000));
    // 02:59:59.75 on 04-04 is in the gap (02:00..02:59:59.999999): read as EST, + 5 h = 07:59:59.75Z.
    EXPECT_EQ(z.to_utc(at(1999, 4, 4, 3) - quarter), at(1999, 4, 4, 7, 59, 59, 750000));
    // 01:59:59.75 on 04-04 is ordinary EST: 06:59:59.75Z.
    EXPECT_EQ(z.to_utc(at(1999, 4, 4, 2) - quarter), at(1999, 4, 4, 6, 59, 59, 750000));
}

TEST(ZoneRulesToUtc, RoundTripThroughLocal) {
    struct Case {
        TzFacts facts;
        Micros gap_start, gap_end;  // local range that does not exist
    };
    const std::vector<Case> cases = {
        {new_york(2022, 2022), at(2022, 3, 13, 2), at(2022, 3, 13, 3)},
        {berlin(2022, 2022), at(2022, 3, 27, 2), at(2022, 3, 27, 3)},
        {lord_howe(2022, 2022), at(2022, 10, 2, 2), at(2022, 10, 2, 2, 30)},
    };
    for (const Case& c : cases) {
        const ZoneRules z = c.facts.rules();
        const Micros step = 7 * kMinute + 13 * kSec + 17;  // odd step: hits many minutes and fractions
        for (Micros local = at(2021, 12, 25); local < at(2023, 1, 5); local += step) {
            const bool in_gap = local >= c.gap_start && local < c.gap_end;
            const Micros width = c.gap_end - c.gap_start;
            // A gap time is read with the old offset, so it lands `width` later on the clock.
            ASSERT_EQ(z.to_local(z.to_utc(local)), in_gap ? local + width : local) << c.facts.name << " " << local;
        }
        // And near the gap, at its edges exactly.
        EXPECT_EQ(z.to_local(z.to_utc(c.gap_start - 1)), c.gap_start - 1);
        EXPECT_EQ(z.to_local(z.to_utc(c.gap_end)), c.gap_end);
    }
}

TEST(ZoneRulesToUtc, UtcRoundTripExceptFirstPassOfOverlap) {
    // to_utc(to_local(u)) == u, except for u in the first (pre-transition) pass of a fall-back
    // overlap, which to_utc reads as the second pass: u + overlap width.
    struct Case {
        TzFacts facts;
        Micros fall;   // UTC instant of the fall-back
        Micros width;  // how far the clock steps back
    };
    const std::vector<Case> cases = {
        {new_york(2022, 2022), kNyFall, kHour},
        {berlin(2022, 2022), at(2022, 10, 30, 1), kHour},
        {lord_howe(2022, 2022), kLhEnd, 30 * kMinute},
    };
    for (const Case& c : cases) {
        const ZoneRules z = c.facts.rules();
        for (Micros u = at(2022, 1, 1); u < at(2023, 1, 1); u += 11 * kMinute + 3 * kSec + 1) {
            const bool first_pass = u >= c.fall - c.width && u < c.fall;
            ASSERT_EQ(z.to_utc(z.to_local(u)), first_pass ? u + c.width : u) << c.facts.name << " " << u;
        }
    }
}
