// Bucketing and the dense series plan: period and week-start parsing, bucket keys and starts over
// the whole timestamp range, and series_agg's plan/add/points on fuzzed ranges and rows. Every row
// inside [since, until) must be counted exactly once (the "silently dropped rows" class of bug).
#include <cstring>
#include <memory>
#include <vector>

#include "fuzz_input.hpp"
#include "support_reports/aggregates.hpp"
#include "support_reports/bucket.hpp"
#include "support_reports/error.hpp"
#include "support_reports/zone.hpp"

namespace sr = support_reports;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    const std::string period_text = in.take_string(12);
    try {
        (void)sr::parse_period(period_text);
        (void)sr::parse_week_start(period_text);
    } catch (const sr::Error& e) {
        if (e.parameter().empty()) fuzz::fail("an Error that names no parameter");
    }
    const auto period = static_cast<sr::Period>(in.take<std::uint8_t>() % 6);
    const auto ws = static_cast<sr::WeekStart>(in.take<std::uint8_t>() % 2);
    const std::int32_t offset = static_cast<std::int32_t>(in.take<std::int16_t>()) * 2;
    const sr::ZoneRules zone = sr::ZoneRules::fixed("fuzz", offset);

    // Keys: start <= local < next start, and the start maps back to the key.
    const std::int64_t local = fuzz::clamp_timestamp(in.take<std::int64_t>());
    const std::int64_t key = sr::bucket_key(local, period, ws);
    const sr::Micros start = sr::bucket_key_start(key, period, ws);
    if (start > local) fuzz::fail("bucket starts after the time it contains");
    if (sr::bucket_key(start, period, ws) != key) fuzz::fail("bucket start maps to another key");
    if (local < fuzz::kMaxTimestamp - 400LL * 86400 * 1000000 && sr::bucket_key_start(key + 1, period, ws) <= local)
        fuzz::fail("the next bucket starts before the time");

    // A fixed zone: bucket_start is at or before the instant, and idempotent.
    const std::int64_t utc = fuzz::clamp_timestamp(in.take<std::int64_t>() / 2);
    const sr::Micros b = sr::bucket_start(utc, period, ws, zone);
    if (b > utc) fuzz::fail("bucket_start after the instant");
    if (sr::bucket_start(b, period, ws, zone) != b) fuzz::fail("bucket_start is not idempotent");

    // The dense series.
    sr::Micros since = fuzz::clamp_timestamp(in.take<std::int64_t>() / 2);
    sr::Micros until = since + static_cast<std::int64_t>(in.take<std::uint32_t>()) * (in.take<std::uint8_t>() % 2 ? 1000000 : 1);
    try {
        const sr::SeriesPlan plan = sr::plan_series(since, until, period, ws, zone);
        std::vector<std::uint64_t> buffer((sr::SeriesView::bytes_for(plan.slot_count) + 7) / 8);
        sr::SeriesView::init(buffer.data(), plan, since, until, period, ws, zone);
        sr::SeriesView::check(buffer.data(), sr::SeriesView::bytes_for(plan.slot_count));
        sr::SeriesView view(buffer.data());
        sr::ZoneCursor cursor(zone);
        std::int64_t inside = 0;
        const int rows = in.take<std::uint8_t>() % 64;
        for (int i = 0; i < rows; ++i) {
            const std::uint64_t r = in.take<std::uint64_t>();
            const sr::Micros ts = since + static_cast<std::int64_t>(r % (static_cast<std::uint64_t>(until - since) + 2)) - 1;
            view.add(ts, 1.0, cursor);
            inside += ts >= since && ts < until;
        }
        std::vector<sr::SeriesPoint> points(plan.slot_count);
        const std::size_t n = view.points(zone, points.data());
        if (n > plan.slot_count) fuzz::fail("more points than slots");
        std::int64_t counted = 0;
        for (std::size_t i = 0; i < n; ++i) {
            counted += points[i].count;
            if (i > 0 && points[i].bucket <= points[i - 1].bucket) fuzz::fail("points out of order");
        }
        if (counted != inside) fuzz::fail("a row inside [since, until) was not counted exactly once");
        if (n == 0) fuzz::fail("a non-empty range has no bucket");
    } catch (const sr::Error& e) {
        if (e.parameter().empty()) fuzz::fail("an Error that names no parameter");
    }
    return 0;
}
