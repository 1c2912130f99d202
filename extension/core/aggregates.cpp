#include "support_reports/aggregates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "support_reports/error.hpp"

namespace support_reports {

namespace {

[[noreturn]] void corrupted(const char* what) {
    throw Error(ErrorKind::DataCorrupted, "state",
                std::string("aggregate state is not a valid ") + what + " state",
                "States are produced by the support_reports aggregates of the same version.");
}

std::uint32_t magic_of(const void* bytes, std::size_t size) {
    if (size < 8) return 0;
    std::uint32_t magic;
    std::memcpy(&magic, static_cast<const char*>(bytes) + 4, sizeof magic);
    return magic;
}

bool counts_ok(const std::int64_t* counts, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (counts[i] < 0 || counts[i] > kMaxStateCount) return false;
    return true;
}

// into[i] += from[i], refusing to overflow (counts of forged or absurdly many states).
void add_counts(std::int64_t* into, const std::int64_t* from, std::size_t n, const char* fn) {
    for (std::size_t i = 0; i < n; ++i) {
        if (__builtin_add_overflow(into[i], from[i], &into[i])) {
            throw Error(ErrorKind::OutOfRange, "count", std::string(fn) + ": a combined count overflows bigint");
        }
    }
}

// The shortest decimal text that reads back as `v` (600, not 600.000000; 0.1, not 0.10000000000000001).
std::string shortest(double v) {
    char buf[32];
    if (v == std::trunc(v) && std::fabs(v) < 1e15) {  // whole numbers as integers, never 6e+02
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

}  // namespace

// ---- heatmap --------------------------------------------------------------------------------------

void heatmap_init(HeatmapState& s) noexcept {
    s.magic = kHeatmapMagic;
    std::fill(std::begin(s.counts), std::end(s.counts), 0);
}

void heatmap_combine(HeatmapState& into, const HeatmapState& from) {
    add_counts(into.counts, from.counts, kHeatmapCells, "heatmap_agg");
}

void heatmap_check(const void* bytes, std::size_t size) {
    if (size != sizeof(HeatmapState) || magic_of(bytes, size) != kHeatmapMagic) corrupted("heatmap_agg");
    if (!counts_ok(static_cast<const HeatmapState*>(bytes)->counts, kHeatmapCells)) corrupted("heatmap_agg");
}

// ---- histogram ------------------------------------------------------------------------------------

void HistogramView::init(void* state, const double* edges, std::size_t edge_count) {
    for (std::size_t i = 0; i < edge_count; ++i) {
        if (!std::isfinite(edges[i])) {
            invalid_parameter("edges", "invalid edges: edge " + std::to_string(i + 1) + " is not a finite number");
        }
        if (i > 0 && !(edges[i - 1] < edges[i])) {
            invalid_parameter("edges", "invalid edges: edge " + std::to_string(i + 1) + " (" + shortest(edges[i]) +
                                           ") must be greater than edge " + std::to_string(i) + " (" +
                                           shortest(edges[i - 1]) + ")",
                              "Histogram edges must be strictly increasing.");
        }
    }
    auto* h = static_cast<HistogramHeader*>(state);
    h->magic = kHistogramMagic;
    h->edge_count = static_cast<std::uint32_t>(edge_count);
    h->reserved = 0;
    HistogramView view(state);
    std::copy(edges, edges + edge_count, reinterpret_cast<double*>(h + 1));
    std::fill(view.counts(), view.counts() + edge_count + 1, 0);
}

void HistogramView::check(const void* bytes, std::size_t size) {
    if (size < sizeof(HistogramHeader) || magic_of(bytes, size) != kHistogramMagic) corrupted("histogram_agg");
    std::uint32_t edge_count;
    std::memcpy(&edge_count, static_cast<const char*>(bytes) + offsetof(HistogramHeader, edge_count), sizeof edge_count);
    if (size != bytes_for(edge_count)) corrupted("histogram_agg");
    // The edges decide the buckets: they must be what init() accepts (finite, increasing).
    const auto* edges = reinterpret_cast<const double*>(static_cast<const HistogramHeader*>(bytes) + 1);
    for (std::uint32_t i = 0; i < edge_count; ++i) {
        if (!std::isfinite(edges[i]) || (i > 0 && !(edges[i - 1] < edges[i]))) corrupted("histogram_agg");
    }
    if (!counts_ok(reinterpret_cast<const std::int64_t*>(edges + edge_count), edge_count + std::size_t{1}))
        corrupted("histogram_agg");
}

std::size_t HistogramView::bucket_of(double value) const noexcept {
    const double* e = edges();
    // upper_bound: NaN compares false with everything, so it lands past the last edge.
    return static_cast<std::size_t>(std::upper_bound(e, e + h_->edge_count, value) - e);
}

void HistogramView::combine(const HistogramView& other) {
    if (other.edge_count() != edge_count() ||
        !std::equal(edges(), edges() + edge_count(), other.edges())) {
        invalid_parameter("edges", "histogram_agg states with different edges cannot be combined");
    }
    add_counts(counts(), other.counts(), edge_count() + std::size_t{1}, "histogram_agg");
}

// ---- series ---------------------------------------------------------------------------------------

SeriesPlan plan_series(Micros since, Micros until, Period period, WeekStart week_start, const ZoneRules& zone) {
    if (since >= until) {
        invalid_parameter("since", "since must be earlier than until");
    }
    // Local time rises with UTC except at offset changes, where it jumps. The slots must cover
    // every local reading in [since, until): the lowest is at since or just after a fall-back,
    // the highest just before until or just before a spring-forward. (A fall-back that crosses
    // a bucket boundary, as Pacific/Chatham's 03:45 -> 02:45 does for hours, would otherwise
    // drop rows.)
    Micros lowest = zone.to_local(since);
    Micros highest = zone.to_local(until - 1);
    const std::size_t last_segment = zone.segment_of(until - 1);
    for (std::size_t seg = zone.segment_of(since) + 1; seg <= last_segment; ++seg) {
        const Micros at = zone.segment_start(seg);
        lowest = std::min(lowest, at + zone.segment_offset(seg) * kMicrosPerSecond);
        highest = std::max(highest, at - 1 + zone.segment_offset(seg - 1) * kMicrosPerSecond);
    }
    const std::int64_t first = bucket_key(lowest, period, week_start);
    const std::int64_t last = bucket_key(highest, period, week_start);
    const std::int64_t span = last - first + 1;
    if (span > static_cast<std::int64_t>(kMaxSeriesBuckets)) {
        throw Error(ErrorKind::ProgramLimit, "until",
                    "the range from since to until holds " + std::to_string(span) + " " + period_name(period) +
                        " buckets, more than the limit of " + std::to_string(kMaxSeriesBuckets),
                    "Use a coarser period or a shorter range.");
    }
    return SeriesPlan{first, static_cast<std::uint32_t>(span)};
}

void SeriesView::init(void* state, const SeriesPlan& plan, Micros since, Micros until, Period period,
                      WeekStart week_start, const ZoneRules& zone) {
    if (zone.name().size() >= kZoneNameCapacity) {
        invalid_parameter("tz", "time zone name \"" + zone.name() + "\" is too long");
    }
    auto* h = static_cast<SeriesHeader*>(state);
    h->magic = kSeriesMagic;
    h->period = static_cast<std::uint8_t>(period);
    h->week_start = static_cast<std::uint8_t>(week_start);
    h->zone_length = static_cast<std::uint16_t>(zone.name().size());
    h->slot_count = plan.slot_count;
    h->first_key = plan.first_key;
    h->since = since;
    h->until = until;
    std::memset(h->zone, 0, sizeof h->zone);
    std::memcpy(h->zone, zone.name().data(), zone.name().size());
    SeriesSlot* s = reinterpret_cast<SeriesSlot*>(h + 1);
    std::fill(s, s + plan.slot_count, SeriesSlot{0, 0.0});
}

void SeriesView::check(const void* bytes, std::size_t size) {
    if (size < sizeof(SeriesHeader) || magic_of(bytes, size) != kSeriesMagic) corrupted("series_agg");
    SeriesHeader h;
    std::memcpy(&h, bytes, sizeof h);
    if (size != bytes_for(h.slot_count) || h.zone_length >= kZoneNameCapacity || h.period > 5 || h.week_start > 1) {
        corrupted("series_agg");
    }
    // The range and the keys must be ones plan_series() can produce, so that every bucket start
    // computed from them stays inside the timestamp range (no overflow, no bucket from nowhere).
    if (h.slot_count == 0 || h.slot_count > kMaxSeriesBuckets || !(h.since < h.until) || h.since < kMinStateTimestamp ||
        h.until > kMaxStateTimestamp) {
        corrupted("series_agg");
    }
    const auto period = static_cast<Period>(h.period);
    const auto ws = static_cast<WeekStart>(h.week_start);
    constexpr Micros kSlack = 2 * kMicrosPerDay;  // local time is within a day of UTC
    const std::int64_t lowest_key = bucket_key(kMinStateTimestamp - kSlack, period, ws);
    const std::int64_t highest_key = bucket_key(kMaxStateTimestamp + kSlack, period, ws);
    if (h.first_key < lowest_key || h.first_key > highest_key - static_cast<std::int64_t>(h.slot_count) + 1) {
        corrupted("series_agg");
    }
    const auto* slots = reinterpret_cast<const SeriesSlot*>(static_cast<const SeriesHeader*>(bytes) + 1);
    for (std::uint32_t i = 0; i < h.slot_count; ++i) {
        if (slots[i].count < 0 || slots[i].count > kMaxStateCount) corrupted("series_agg");
    }
}

void SeriesView::combine(const SeriesView& other) {
    const SeriesHeader& a = *h_;
    const SeriesHeader& b = *other.h_;
    if (a.period != b.period || a.week_start != b.week_start || a.first_key != b.first_key ||
        a.slot_count != b.slot_count || a.since != b.since || a.until != b.until || a.zone_length != b.zone_length ||
        std::memcmp(a.zone, b.zone, a.zone_length) != 0) {
        invalid_parameter("period", "series_agg states for different ranges, periods or time zones cannot be combined");
    }
    SeriesSlot* mine = slots();
    const SeriesSlot* theirs = other.slots();
    for (std::uint32_t i = 0; i < a.slot_count; ++i) {
        if (__builtin_add_overflow(mine[i].count, theirs[i].count, &mine[i].count))
            throw Error(ErrorKind::OutOfRange, "count", "series_agg: a combined count overflows bigint");
        mine[i].sum += theirs[i].sum;
    }
}

std::size_t SeriesView::points(const ZoneRules& zone, SeriesPoint* out) const noexcept {
    // The padded series runs from the bucket containing `since` while the bucket start is before
    // `until`; slots outside it (see plan_series) appear only when rows landed in them.
    const Micros first_start =
        zone.to_utc(bucket_key_start(bucket_key(zone.to_local(h_->since), period(), week_start()), period(), week_start()));
    std::size_t n = 0;
    const SeriesSlot* s = slots();
    for (std::uint32_t i = 0; i < h_->slot_count; ++i) {
        const std::int64_t key = h_->first_key + static_cast<std::int64_t>(i);
        const Micros start = zone.to_utc(bucket_key_start(key, period(), week_start()));
        if (s[i].count == 0 && (start < first_start || start >= h_->until)) continue;
        if (n > 0 && out[n - 1].bucket >= start) {
            // A key whose local start does not exist maps onto its neighbour's instant: one bucket.
            out[n - 1].count += s[i].count;
            out[n - 1].sum += s[i].sum;
            continue;
        }
        out[n++] = SeriesPoint{start, s[i].count, s[i].sum};
    }
    return n;
}

}  // namespace support_reports
