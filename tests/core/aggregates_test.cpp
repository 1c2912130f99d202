// Aggregate states: heatmap, histogram, dense series (planning, binning, combining, output).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "support_reports/aggregates.hpp"
#include "support_reports/error.hpp"
#include "test_support.hpp"

using namespace support_reports;
using namespace srtest;

// ---- heatmap ---------------------------------------------------------------------------------------

TEST(Heatmap, CellOfKnownLocalTimes) {
    // 2024-01-07 is a Sunday (2024-01-01 was a Monday).
    ASSERT_EQ(weekday(day_number(2024, 1, 7)), 0);
    EXPECT_EQ(heatmap_cell(at(2024, 1, 7, 0, 0)), 0);
    EXPECT_EQ(heatmap_cell(at(2024, 1, 7, 0, 59, 59, 999999)), 0);
    EXPECT_EQ(heatmap_cell(at(2024, 1, 7, 1, 0)), 1);
    EXPECT_EQ(heatmap_cell(at(2024, 1, 8, 10, 15)), 24 + 10);      // Monday 10:xx
    EXPECT_EQ(heatmap_cell(at(2024, 1, 13, 23, 59)), 6 * 24 + 23);  // Saturday 23:59 = 167
    EXPECT_EQ(heatmap_cell(at(2024, 1, 14, 0, 0)), 0);              // next Sunday
    // Before 2000: Friday 1999-12-31 23:30 = 5*24 + 23 = 143; Saturday 2000-01-01 00:00 = 144.
    EXPECT_EQ(heatmap_cell(at(1999, 12, 31, 23, 30)), 143);
    EXPECT_EQ(heatmap_cell(at(2000, 1, 1)), 144);
    EXPECT_EQ(heatmap_cell(-1), 143);
}

TEST(Heatmap, InitAddCombineCheck) {
    HeatmapState a;
    HeatmapState b;
    std::memset(&a, 0xAB, sizeof a);  // init must overwrite garbage
    heatmap_init(a);
    heatmap_init(b);
    for (int i = 0; i < kHeatmapCells; ++i) ASSERT_EQ(a.counts[i], 0);
    heatmap_add(a, at(2024, 1, 7, 0, 30));  // cell 0
    heatmap_add(a, at(2024, 1, 7, 0, 45));  // cell 0
    heatmap_add(a, at(2024, 1, 13, 23, 59));  // cell 167
    heatmap_add(b, at(2024, 1, 14, 0, 10));   // cell 0
    heatmap_add(b, at(2024, 1, 8, 10, 15));   // cell 34
    heatmap_combine(a, b);
    EXPECT_EQ(a.counts[0], 3);
    EXPECT_EQ(a.counts[34], 1);
    EXPECT_EQ(a.counts[167], 1);
    std::int64_t total = 0;
    for (int i = 0; i < kHeatmapCells; ++i) total += a.counts[i];
    EXPECT_EQ(total, 5);
    EXPECT_EQ(b.counts[0], 1);  // the source is unchanged

    EXPECT_NO_THROW(heatmap_check(&a, sizeof a));
    EXPECT_TRUE(throws_error([&] { heatmap_check(&a, sizeof a - 8); }, ErrorKind::DataCorrupted, "state"));
    EXPECT_TRUE(throws_error([&] { heatmap_check(&a, sizeof a + 8); }, ErrorKind::DataCorrupted, "state"));
    EXPECT_TRUE(throws_error([&] { heatmap_check(&a, 4); }, ErrorKind::DataCorrupted, "state"));
    a.magic = kHistogramMagic;
    EXPECT_TRUE(throws_error([&] { heatmap_check(&a, sizeof a); }, ErrorKind::DataCorrupted, "state"));
}

// ---- histogram -------------------------------------------------------------------------------------

namespace {
const std::vector<double> kDefaultEdges = {300, 900, 1800, 3600};

std::vector<std::uint64_t> histogram(const std::vector<double>& edges) {
    std::vector<std::uint64_t> buf = state_buffer(HistogramView::bytes_for(edges.size()));
    HistogramView::init(buf.data(), edges.data(), edges.size());
    return buf;
}
}  // namespace

TEST(Histogram, DefaultEdgesBuckets) {
    // Header 16 bytes + 4 edges * 8 + 5 counts * 8 = 88.
    EXPECT_EQ(HistogramView::bytes_for(4), 88u);
    std::vector<std::uint64_t> buf = histogram(kDefaultEdges);
    HistogramView h(buf.data());
    ASSERT_EQ(h.edge_count(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(h.edges()[i], kDefaultEdges[i]);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    // Bucket i holds [edges[i-1], edges[i]); NaN sorts above everything.
    const std::vector<std::pair<double, std::size_t>> cases = {
        {0, 0}, {299.999, 0}, {300, 1}, {899, 1}, {900, 2}, {3599, 3}, {3600, 4}, {1e9, 4}, {-5, 0}, {nan, 4},
        {-inf, 0}, {inf, 4}, {1799.9999, 2}, {1800, 3}};
    for (const auto& [value, bucket] : cases) EXPECT_EQ(h.bucket_of(value), bucket) << value;

    for (std::size_t i = 0; i <= 4; ++i) EXPECT_EQ(h.counts()[i], 0);
    for (double v : {0.0, 299.999, 300.0, 899.0, 900.0, 3599.0, 3600.0, 1e9, -5.0, nan}) h.add(v);
    // Buckets 0,0,1,1,2,3,4,4,0,4 -> counts 3, 2, 1, 1, 3.
    const std::int64_t expected[5] = {3, 2, 1, 1, 3};
    for (std::size_t i = 0; i <= 4; ++i) EXPECT_EQ(h.counts()[i], expected[i]) << i;
}

TEST(Histogram, NoEdgesIsOneBucket) {
    std::vector<std::uint64_t> buf = histogram({});
    HistogramView h(buf.data());
    EXPECT_EQ(h.edge_count(), 0u);
    EXPECT_EQ(h.bucket_of(-1e300), 0u);
    EXPECT_EQ(h.bucket_of(std::numeric_limits<double>::quiet_NaN()), 0u);
    h.add(42);
    EXPECT_EQ(h.counts()[0], 1);
    EXPECT_NO_THROW(HistogramView::check(buf.data(), HistogramView::bytes_for(0)));
}

TEST(Histogram, EdgesMustBeFiniteAndStrictlyIncreasing) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const auto bad = [](std::vector<double> edges, std::vector<std::string> fragments = {}) {
        std::vector<std::uint64_t> buf = state_buffer(HistogramView::bytes_for(edges.size()));
        return throws_error([&] { HistogramView::init(buf.data(), edges.data(), edges.size()); },
                            ErrorKind::InvalidParameter, "edges", std::move(fragments));
    };
    EXPECT_TRUE(bad({300, 300}, {"edge 2"}));
    EXPECT_TRUE(bad({300, 900, 600}, {"edge 3"}));
    EXPECT_TRUE(bad({900, 300}));
    EXPECT_TRUE(bad({nan}, {"edge 1"}));
    EXPECT_TRUE(bad({300, inf}, {"edge 2"}));
    EXPECT_TRUE(bad({-inf, 0}, {"edge 1"}));
    EXPECT_TRUE(bad({0, nan, 10}));
    std::vector<std::uint64_t> ok = state_buffer(HistogramView::bytes_for(3));
    const double edges[] = {-1.5, 0, 1e300};
    EXPECT_NO_THROW(HistogramView::init(ok.data(), edges, 3));
}

TEST(Histogram, Combine) {
    std::vector<std::uint64_t> a_buf = histogram(kDefaultEdges);
    std::vector<std::uint64_t> b_buf = histogram(kDefaultEdges);
    HistogramView a(a_buf.data());
    HistogramView b(b_buf.data());
    a.add(10);
    a.add(5000);
    b.add(20);
    b.add(1000);
    b.add(1000);
    b.add(1e9);
    a.combine(b);
    const std::int64_t expected[5] = {2, 0, 2, 0, 2};
    for (std::size_t i = 0; i <= 4; ++i) EXPECT_EQ(a.counts()[i], expected[i]) << i;
    EXPECT_EQ(b.counts()[2], 2);  // source unchanged

    std::vector<std::uint64_t> other_values = histogram({300, 900, 1800, 3601});
    std::vector<std::uint64_t> other_count = histogram({300, 900});
    EXPECT_TRUE(throws_error([&] { a.combine(HistogramView(other_values.data())); }, ErrorKind::InvalidParameter,
                             "edges"));
    EXPECT_TRUE(throws_error([&] { a.combine(HistogramView(other_count.data())); }, ErrorKind::InvalidParameter,
                             "edges"));
    EXPECT_TRUE(throws_error([&] { HistogramView(other_count.data()).combine(a); }, ErrorKind::InvalidParameter,
                             "edges"));
    // A failed combine leaves the target untouched.
    for (std::size_t i = 0; i <= 4; ++i) EXPECT_EQ(a.counts()[i], expected[i]) << i;
}

TEST(Histogram, CheckRejectsForeignStates) {
    std::vector<std::uint64_t> buf = histogram(kDefaultEdges);
    const std::size_t size = HistogramView::bytes_for(4);
    EXPECT_NO_THROW(HistogramView::check(buf.data(), size));
    for (std::size_t wrong : {std::size_t{0}, std::size_t{8}, std::size_t{16}, size - 8, size + 8}) {
        std::vector<std::uint64_t> big = buf;
        big.resize(big.size() + 2, 0);
        EXPECT_TRUE(throws_error([&] { HistogramView::check(big.data(), wrong); }, ErrorKind::DataCorrupted, "state"))
            << wrong;
    }
    auto* header = reinterpret_cast<HistogramHeader*>(buf.data());
    header->edge_count = 5;  // claims 5 edges: needs 16 + 40 + 48 = 104 bytes
    EXPECT_TRUE(throws_error([&] { HistogramView::check(buf.data(), size); }, ErrorKind::DataCorrupted, "state"));
    header->edge_count = 4;
    header->magic = kSeriesMagic;
    EXPECT_TRUE(throws_error([&] { HistogramView::check(buf.data(), size); }, ErrorKind::DataCorrupted, "state"));
}

// ---- series ----------------------------------------------------------------------------------------

namespace {

const ZoneRules& ny() {
    static const ZoneRules z = new_york(2021, 2023).rules();
    return z;
}
const ZoneRules& be() {
    static const ZoneRules z = berlin(2021, 2023).rules();
    return z;
}
const ZoneRules kUtc = ZoneRules::fixed("UTC", 0);

struct Series {
    SeriesPlan plan;
    std::vector<std::uint64_t> buf;

    Series(Micros since, Micros until, Period p, WeekStart ws, const ZoneRules& zone)
        : plan(plan_series(since, until, p, ws, zone)), buf(state_buffer(SeriesView::bytes_for(plan.slot_count))) {
        SeriesView::init(buf.data(), plan, since, until, p, ws, zone);
    }
    SeriesView view() { return SeriesView(buf.data()); }
    void add(Micros utc, double value, const ZoneRules& zone) {
        ZoneCursor cursor(zone);
        view().add(utc, value, cursor);
    }
    std::vector<SeriesPoint> points(const ZoneRules& zone) {
        std::vector<SeriesPoint> out(plan.slot_count);
        out.resize(view().points(zone, out.data()));
        return out;
    }
};

std::vector<Micros> buckets_of(const std::vector<SeriesPoint>& pts) {
    std::vector<Micros> out;
    for (const SeriesPoint& p : pts) out.push_back(p.bucket);
    return out;
}
std::vector<std::int64_t> counts_of(const std::vector<SeriesPoint>& pts) {
    std::vector<std::int64_t> out;
    for (const SeriesPoint& p : pts) out.push_back(p.count);
    return out;
}

}  // namespace

TEST(Series, DayBucketsInNewYorkAcrossSpringForward) {
    const Micros since = at(2022, 3, 11), until = at(2022, 3, 15);
    Series s(since, until, Period::Day, WeekStart::Sunday, ny());
    // since = 2022-03-10 19:00 EST: first bucket is local 03-10 (day 8036 + 59 + 9 = 8104);
    // until = 03-14 20:00 EDT: last is 03-14 (8108): 5 buckets.
    EXPECT_EQ(s.plan.first_key, 8104);
    EXPECT_EQ(s.plan.slot_count, 5u);
    EXPECT_EQ(s.view().header().magic, kSeriesMagic);
    EXPECT_EQ(s.view().period(), Period::Day);

    s.add(since, 1, ny());                           // 03-10 19:00 EST -> bucket 0
    s.add(at(2022, 3, 13, 4, 59, 59), 2, ny());     // 03-12 23:59:59 EST -> bucket 2
    s.add(at(2022, 3, 13, 5), 4, ny());             // 03-13 00:00 EST -> bucket 3
    s.add(at(2022, 3, 14, 3, 59, 59), 8, ny());     // 03-13 23:59:59 EDT -> bucket 3
    s.add(at(2022, 3, 14, 4), 16, ny());            // 03-14 00:00 EDT -> bucket 4
    s.add(until, 100, ny());                        // == until: ignored
    s.add(since - 1, 200, ny());                    // before since: ignored
    s.add(at(2022, 3, 20), 400, ny());              // far after: ignored

    const std::vector<SeriesPoint> pts = s.points(ny());
    // Local midnights: EST (+5 h) through 03-13, EDT (+4 h) from 03-14.
    EXPECT_EQ(buckets_of(pts), (std::vector<Micros>{at(2022, 3, 10, 5), at(2022, 3, 11, 5), at(2022, 3, 12, 5),
                                                    at(2022, 3, 13, 5), at(2022, 3, 14, 4)}));
    EXPECT_EQ(counts_of(pts), (std::vector<std::int64_t>{1, 0, 1, 2, 1}));
    ASSERT_EQ(pts.size(), 5u);
    EXPECT_EQ(pts[3].sum, 12);
    EXPECT_EQ(pts[4].bucket - pts[3].bucket, 23 * kHour);  // the DST-start day has 23 hours
    EXPECT_EQ(pts[3].bucket - pts[2].bucket, 24 * kHour);
}

TEST(Series, HourBucketsAcrossSpringForwardGap) {
    // 2022-03-13 05:00Z (00:00 EST) .. 09:00Z (05:00 EDT). Local hours 00, 01, [02 missing], 03, 04.
    Series s(at(2022, 3, 13, 5), at(2022, 3, 13, 9), Period::Hour, WeekStart::Sunday, ny());
    EXPECT_EQ(s.plan.first_key, 8107 * 24);  // local 2022-03-13 00:00
    EXPECT_EQ(s.plan.slot_count, 5u);        // local hour keys 00..04 (the last instant, 08:59:59Z, reads 04:59 EDT)
    s.add(at(2022, 3, 13, 5, 30), 1, ny());   // 00:30 EST
    s.add(at(2022, 3, 13, 6, 30), 2, ny());   // 01:30 EST
    s.add(at(2022, 3, 13, 7, 10), 4, ny());   // 03:10 EDT
    s.add(at(2022, 3, 13, 7, 30), 8, ny());   // 03:30 EDT
    s.add(at(2022, 3, 13, 8, 30), 16, ny());  // 04:30 EDT
    const std::vector<SeriesPoint> pts = s.points(ny());
    // Keys 02 and 03 both start at 07:00Z: one bucket, no duplicate; 05:00 EDT = until is not emitted.
    EXPECT_EQ(buckets_of(pts), (std::vector<Micros>{at(2022, 3, 13, 5), at(2022, 3, 13, 6), at(2022, 3, 13, 7),
                                                    at(2022, 3, 13, 8)}));
    EXPECT_EQ(counts_of(pts), (std::vector<std::int64_t>{1, 1, 2, 1}));
    ASSERT_EQ(pts.size(), 4u);
    EXPECT_EQ(pts[2].sum, 12);  // 4 + 8, both in the merged bucket
    EXPECT_EQ(pts[3].sum, 16);
}

TEST(Series, HourBucketsAcrossFallBackOverlap) {
    // 2022-11-06 (day 8036 + 304 + 5 = 8345) 04:00Z (00:00 EDT) .. 08:00Z (03:00 EST).
    Series s(at(2022, 11, 6, 4), at(2022, 11, 6, 8), Period::Hour, WeekStart::Sunday, ny());
    EXPECT_EQ(s.plan.first_key, 8345 * 24);
    EXPECT_EQ(s.plan.slot_count, 3u);        // local hour keys 00..02 (the last instant, 07:59:59Z, reads 02:59 EST)
    s.add(at(2022, 11, 6, 4, 30), 1, ny());  // 00:30 EDT
    s.add(at(2022, 11, 6, 5, 30), 2, ny());  // 01:30 EDT (first pass)
    s.add(at(2022, 11, 6, 6, 30), 3, ny());  // 01:30 EST (second pass)
    s.add(at(2022, 11, 6, 7, 30), 4, ny());  // 02:30 EST
    const std::vector<SeriesPoint> pts = s.points(ny());
    // Local 01:00 is read as EST (06:00Z), so both passes of 01:xx are one bucket at 06:00Z, exactly
    // as bucket_start reports; key 03 starts at 08:00Z = until and is not emitted.
    EXPECT_EQ(buckets_of(pts), (std::vector<Micros>{at(2022, 11, 6, 4), at(2022, 11, 6, 6), at(2022, 11, 6, 7)}));
    EXPECT_EQ(counts_of(pts), (std::vector<std::int64_t>{1, 2, 1}));
    ASSERT_EQ(pts.size(), 3u);
    EXPECT_EQ(pts[1].sum, 5);
}

TEST(Series, LastBucketStartingAtOrAfterUntilIsEmittedOnlyWithRows) {
    // until = 05:45Z = 01:45 EDT; its hour key 01 starts (read as EST) at 06:00Z >= until.
    Series empty(at(2022, 11, 6, 4), at(2022, 11, 6, 5, 45), Period::Hour, WeekStart::Sunday, ny());
    EXPECT_EQ(empty.plan.slot_count, 2u);
    EXPECT_EQ(buckets_of(empty.points(ny())), (std::vector<Micros>{at(2022, 11, 6, 4)}));

    Series with_row(at(2022, 11, 6, 4), at(2022, 11, 6, 5, 45), Period::Hour, WeekStart::Sunday, ny());
    with_row.add(at(2022, 11, 6, 5, 30), 1, ny());  // 01:30 EDT, inside [since, until)
    const std::vector<SeriesPoint> pts = with_row.points(ny());
    EXPECT_EQ(buckets_of(pts), (std::vector<Micros>{at(2022, 11, 6, 4), at(2022, 11, 6, 6)}));
    EXPECT_EQ(counts_of(pts), (std::vector<std::int64_t>{0, 1}));
}

TEST(Series, LordHoweHalfHourGap) {
    // 2022-10-01 14:30Z = 10-02 01:00 +10:30 .. 17:00Z = 04:00 +11:00. Local 02:00..02:29 is missing.
    const ZoneRules lh = lord_howe(2022, 2022).rules();
    Series s(at(2022, 10, 1, 14, 30), at(2022, 10, 1, 17), Period::Hour, WeekStart::Sunday, lh);
    EXPECT_EQ(s.plan.slot_count, 3u);  // local hour keys 01..03 (16:59:59Z reads 03:59 +11:00)
    s.add(at(2022, 10, 1, 15), 1, lh);       // 01:30 +10:30 -> key 01
    s.add(at(2022, 10, 1, 15, 45), 1, lh);   // 02:45 +11:00 -> key 02
    s.add(at(2022, 10, 1, 16, 15), 1, lh);   // 03:15 +11:00 -> key 03
    const std::vector<SeriesPoint> pts = s.points(lh);
    // Key 01: 01:00 - 10:30 = 14:30Z; key 02: 02:00 is in the gap, read with +10:30 = 15:30Z; key 03:
    // 03:00 - 11:00 = 16:00Z; key 04 = 17:00Z = until, not emitted.
    EXPECT_EQ(buckets_of(pts), (std::vector<Micros>{at(2022, 10, 1, 14, 30), at(2022, 10, 1, 15, 30),
                                                    at(2022, 10, 1, 16)}));
    EXPECT_EQ(counts_of(pts), (std::vector<std::int64_t>{1, 1, 1}));
}

TEST(Series, WeekBucketsSundayAndMondayStarts) {
    // Wednesday 2022-03-09 12:00Z (07:00 EST, day 8103) .. Wednesday 03-23 12:00Z (08:00 EDT, day 8117).
    const Micros since = at(2022, 3, 9, 12), until = at(2022, 3, 23, 12);
    Series sun(since, until, Period::Week, WeekStart::Sunday, ny());
    Series mon(since, until, Period::Week, WeekStart::Monday, ny());
    // Sunday weeks: floor((8103 - 1) / 7) = 1157 (Sun 03-06) .. floor((8117 - 1) / 7) = 1159 (Sun 03-20).
    EXPECT_EQ(sun.plan.first_key, 1157);
    EXPECT_EQ(sun.plan.slot_count, 3u);
    // Monday weeks: floor((8103 - 2) / 7) = 1157 (Mon 03-07) .. floor((8117 - 2) / 7) = 1159 (Mon 03-21).
    EXPECT_EQ(mon.plan.first_key, 1157);
    EXPECT_EQ(mon.plan.slot_count, 3u);
    for (Series* s : {&sun, &mon}) {
        s->add(at(2022, 3, 13, 16), 1, ny());      // Sunday 03-13 12:00 EDT
        s->add(at(2022, 3, 14, 16), 1, ny());      // Monday 03-14 12:00 EDT
        s->add(at(2022, 3, 20, 3, 59), 1, ny());   // Saturday 03-19 23:59 EDT
        s->add(at(2022, 3, 20, 4), 1, ny());       // Sunday 03-20 00:00 EDT
    }
    // Sunday 03-06 and 03-13 midnights are EST (the change is at 02:00 on 03-13); 03-20 is EDT.
    EXPECT_EQ(buckets_of(sun.points(ny())),
              (std::vector<Micros>{at(2022, 3, 6, 5), at(2022, 3, 13, 5), at(2022, 3, 20, 4)}));
    EXPECT_EQ(counts_of(sun.points(ny())), (std::vector<std::int64_t>{0, 3, 1}));
    EXPECT_EQ(buckets_of(mon.points(ny())),
              (std::vector<Micros>{at(2022, 3, 7, 5), at(2022, 3, 14, 4), at(2022, 3, 21, 4)}));
    EXPECT_EQ(counts_of(mon.points(ny())), (std::vector<std::int64_t>{1, 3, 0}));
}

TEST(Series, MonthQuarterYear) {
    // Berlin months 2022-01 .. 2022-04: local midnights of the 1st (CET +1 h, CEST from April, +2 h).
    Series m(at(2022, 1, 15), at(2022, 4, 10), Period::Month, WeekStart::Sunday, be());
    EXPECT_EQ(m.plan.first_key, 22 * 12);
    EXPECT_EQ(m.plan.slot_count, 4u);
    m.add(at(2022, 1, 31, 22, 59), 1, be());  // 23:59 CET Jan 31 -> January
    m.add(at(2022, 1, 31, 23, 0), 1, be());   // 00:00 CET Feb 1 -> February
    EXPECT_EQ(buckets_of(m.points(be())), (std::vector<Micros>{at(2021, 12, 31, 23), at(2022, 1, 31, 23),
                                                              at(2022, 2, 28, 23), at(2022, 3, 31, 22)}));
    EXPECT_EQ(counts_of(m.points(be())), (std::vector<std::int64_t>{1, 1, 0, 0}));

    // Quarters Q4 2021 (key 21*4 + 3 = 87) .. Q3 2022 (90); until = 2022-07-01 00:00 CEST exactly, so
    // Q3 starts at until and is not emitted.
    const Micros until = at(2022, 6, 30, 22);
    Series q(at(2021, 11, 20), until, Period::Quarter, WeekStart::Sunday, be());
    EXPECT_EQ(q.plan.first_key, 87);
    EXPECT_EQ(q.plan.slot_count, 3u);  // Q4 2021 .. Q2 2022: no instant before until reads Q3
    q.add(until - 1, 1, be());  // 2022-06-30 23:59:59.999999 CEST -> Q2
    q.add(until, 1, be());      // ignored
    EXPECT_EQ(buckets_of(q.points(be())),
              (std::vector<Micros>{at(2021, 9, 30, 22), at(2021, 12, 31, 23), at(2022, 3, 31, 22)}));
    EXPECT_EQ(counts_of(q.points(be())), (std::vector<std::int64_t>{0, 0, 1}));

    // Years in UTC, before and after 2000: 1999 (key -1) .. 2001 (starts at until, not emitted).
    Series y(at(1999, 6, 1), at(2001, 1, 1), Period::Year, WeekStart::Sunday, kUtc);
    EXPECT_EQ(y.plan.first_key, -1);
    EXPECT_EQ(y.plan.slot_count, 2u);  // 1999 and 2000; no instant before until reads 2001
    y.add(at(1999, 12, 31, 23, 59), 2.5, kUtc);
    y.add(at(2000, 1, 1), 0.5, kUtc);
    y.add(at(2000, 12, 31, 23, 59), 1, kUtc);
    const std::vector<SeriesPoint> pts = y.points(kUtc);
    EXPECT_EQ(buckets_of(pts), (std::vector<Micros>{-365 * kDay, 0}));
    EXPECT_EQ(counts_of(pts), (std::vector<std::int64_t>{1, 2}));
    ASSERT_EQ(pts.size(), 2u);
    EXPECT_EQ(pts[0].sum, 2.5);
    EXPECT_EQ(pts[1].sum, 1.5);
}

TEST(Series, PlanRejectsEmptyAndOversizedRanges) {
    const Micros t = at(2022, 1, 1);
    EXPECT_TRUE(throws_error([&] { plan_series(t, t, Period::Day, WeekStart::Sunday, kUtc); },
                             ErrorKind::InvalidParameter, "since"));
    EXPECT_TRUE(throws_error([&] { plan_series(t + 1, t, Period::Day, WeekStart::Sunday, kUtc); },
                             ErrorKind::InvalidParameter, "since"));
    // Until hour 100000: hour keys 0 .. 99999 are exactly kMaxSeriesBuckets = 100000 buckets: allowed.
    const SeriesPlan max = plan_series(0, 100000 * kHour, Period::Hour, WeekStart::Sunday, kUtc);
    EXPECT_EQ(max.first_key, 0);
    EXPECT_EQ(max.slot_count, 100000u);
    // One microsecond more reaches key 100000: 100001 buckets, refused as a program limit.
    EXPECT_TRUE(throws_error([&] { plan_series(0, 100000 * kHour + 1, Period::Hour, WeekStart::Sunday, kUtc); },
                             ErrorKind::ProgramLimit, "until"));
    // Days: 2000-01-01 .. 2300-01-01 is far more than 100000 days.
    EXPECT_TRUE(throws_error([&] { plan_series(0, at(2300, 1, 1), Period::Day, WeekStart::Sunday, kUtc); },
                             ErrorKind::ProgramLimit, "until"));
    // Years over the same range are fine: 2000 .. 2299, 300 keys.
    EXPECT_EQ(plan_series(0, at(2300, 1, 1), Period::Year, WeekStart::Sunday, kUtc).slot_count, 300u);
}

TEST(Series, ZoneNameMustFit) {
    const SeriesPlan plan = plan_series(0, kDay, Period::Day, WeekStart::Sunday, kUtc);
    std::vector<std::uint64_t> buf = state_buffer(SeriesView::bytes_for(plan.slot_count));
    const ZoneRules long_name = ZoneRules::fixed(std::string(kZoneNameCapacity, 'x'), 0);
    EXPECT_TRUE(throws_error([&] { SeriesView::init(buf.data(), plan, 0, kDay, Period::Day, WeekStart::Sunday, long_name); },
                             ErrorKind::InvalidParameter, "tz"));
    const ZoneRules fits = ZoneRules::fixed(std::string(kZoneNameCapacity - 1, 'x'), 0);
    EXPECT_NO_THROW(SeriesView::init(buf.data(), plan, 0, kDay, Period::Day, WeekStart::Sunday, fits));
}

TEST(Series, Combine) {
    const Micros since = at(2022, 3, 11), until = at(2022, 3, 15);
    Series a(since, until, Period::Day, WeekStart::Sunday, ny());
    Series b(since, until, Period::Day, WeekStart::Sunday, ny());
    a.add(at(2022, 3, 11, 12), 1, ny());  // 03-11 local -> slot 1
    b.add(at(2022, 3, 11, 13), 2, ny());  // slot 1
    b.add(at(2022, 3, 14, 12), 4, ny());  // 03-14 08:00 EDT -> slot 4
    a.view().combine(b.view());
    EXPECT_EQ(counts_of(a.points(ny())), (std::vector<std::int64_t>{0, 2, 0, 0, 1}));
    EXPECT_EQ(a.view().slots()[1].sum, 3);
    EXPECT_EQ(a.view().slots()[4].sum, 4);

    Series other_since(since + kHour, until, Period::Day, WeekStart::Sunday, ny());
    Series other_until(since, until + kHour, Period::Day, WeekStart::Sunday, ny());
    Series other_period(since, until, Period::Hour, WeekStart::Sunday, ny());
    Series other_week(since, until, Period::Week, WeekStart::Monday, ny());
    Series week(since, until, Period::Week, WeekStart::Sunday, ny());
    Series other_zone(since, until, Period::Day, WeekStart::Sunday, new_york(2021, 2023).rules());
    const ZoneRules renamed("America/Detroit", kEST, new_york(2021, 2023).transitions);
    Series other_name(since, until, Period::Day, WeekStart::Sunday, renamed);
    // A name of the same length (16 characters) as "America/New_York".
    const ZoneRules same_length("America/Santiago", kEST, new_york(2021, 2023).transitions);
    Series other_name16(since, until, Period::Day, WeekStart::Sunday, same_length);
    for (Series* o : {&other_since, &other_until, &other_period, &other_name, &other_name16}) {
        EXPECT_TRUE(throws_error([&] { a.view().combine(o->view()); }, ErrorKind::InvalidParameter, "period"));
    }
    EXPECT_TRUE(throws_error([&] { week.view().combine(other_week.view()); }, ErrorKind::InvalidParameter, "period"));
    // Same name, range and period: combinable (a zone is identified by its name).
    EXPECT_NO_THROW(a.view().combine(other_zone.view()));
}

TEST(Series, CheckRejectsForeignStates) {
    Series s(at(2022, 3, 11), at(2022, 3, 15), Period::Day, WeekStart::Sunday, ny());
    const std::size_t size = SeriesView::bytes_for(s.plan.slot_count);
    // Each slot is a count and a sum: 16 bytes.
    EXPECT_EQ(SeriesView::bytes_for(5) - SeriesView::bytes_for(0), 80u);
    EXPECT_NO_THROW(SeriesView::check(s.buf.data(), size));
    std::vector<std::uint64_t> roomy = s.buf;
    roomy.resize(roomy.size() + 4, 0);
    for (std::size_t wrong : {std::size_t{0}, std::size_t{8}, size - 16, size + 16}) {
        EXPECT_TRUE(throws_error([&] { SeriesView::check(roomy.data(), wrong); }, ErrorKind::DataCorrupted, "state"))
            << wrong;
    }
    const auto corrupted = [&](auto mutate) {
        std::vector<std::uint64_t> copy = s.buf;
        mutate(*reinterpret_cast<SeriesHeader*>(copy.data()));
        return throws_error([&] { SeriesView::check(copy.data(), size); }, ErrorKind::DataCorrupted, "state");
    };
    EXPECT_TRUE(corrupted([](SeriesHeader& h) { h.magic = kHeatmapMagic; }));
    EXPECT_TRUE(corrupted([](SeriesHeader& h) { h.period = 6; }));
    EXPECT_TRUE(corrupted([](SeriesHeader& h) { h.week_start = 2; }));
    EXPECT_TRUE(corrupted([](SeriesHeader& h) { h.zone_length = kZoneNameCapacity; }));
    EXPECT_TRUE(corrupted([](SeriesHeader& h) { h.slot_count += 1; }));
}

// Every row inside [since, until) must be counted exactly once. Pacific/Chatham (standard +12:45,
// DST +13:45) falls back on 2022-04-03 at 03:45 local DST (2022-04-02 14:00Z) to 02:45 standard, so
// local 02:45..03:44 happens twice and the hour boundary 03:00 lies inside the repeated range.
//
// A row before `until` can read a later local hour than `until` (first pass 03:05 vs second pass
// 02:55), and a row after `since` an earlier one: plan_series must plan slots for both.
TEST(Series, RowsInsideRangeAreNeverDroppedChatham) {
    const ZoneRules chatham("Pacific/Chatham", 49500, {{at(2022, 4, 2, 14), 45900}, {at(2022, 9, 24, 14), 49500}});
    {
        // since 13:00Z = 02:45 CHADT (key 02), until 14:10Z = 02:55 CHAST (key 02): one slot planned.
        Series s(at(2022, 4, 2, 13), at(2022, 4, 2, 14, 10), Period::Hour, WeekStart::Sunday, chatham);
        s.add(at(2022, 4, 2, 13, 5), 1, chatham);   // 02:50 CHADT -> key 02
        s.add(at(2022, 4, 2, 13, 20), 1, chatham);  // 03:05 CHADT -> key 03: dropped today
        s.add(at(2022, 4, 2, 14, 5), 1, chatham);   // 02:50 CHAST -> key 02
        std::int64_t total = 0;
        for (const SeriesPoint& p : s.points(chatham)) total += p.count;
        EXPECT_EQ(total, 3);
    }
    {
        // since 13:25Z = 03:10 CHADT (key 03), until 14:10Z = 02:55 CHAST (key 02).
        Series s(at(2022, 4, 2, 13, 25), at(2022, 4, 2, 14, 10), Period::Hour, WeekStart::Sunday, chatham);
        s.add(at(2022, 4, 2, 13, 50), 1, chatham);  // 03:35 CHADT -> key 03
        s.add(at(2022, 4, 2, 14, 2), 1, chatham);   // 02:47 CHAST -> key 02: dropped today
        std::int64_t total = 0;
        for (const SeriesPoint& p : s.points(chatham)) total += p.count;
        EXPECT_EQ(total, 2);
    }
}
