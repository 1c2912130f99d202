// Aggregate states as flat, trivially copyable byte layouts. Each state is one contiguous block that
// Postgres stores as a bytea (a concrete state type: parallel workers and Citus/postgres_fdw can
// ship it without serial functions). The first 4 bytes are reserved for the container's length
// word, so the counters behind it stay 8-byte aligned. The per-row functions only index and add:
// no allocation, no searching beyond a tiny binary search, no calls out of the core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "support_reports/bucket.hpp"
#include "support_reports/civil.hpp"
#include "support_reports/zone.hpp"

namespace support_reports {

// Layout versions: bump when a layout changes, so that a state from another build is refused
// instead of misread.
constexpr std::uint32_t kHeatmapMagic = 0x53524831;    // "SRH1"
constexpr std::uint32_t kHistogramMagic = 0x53524731;  // "SRG1"
constexpr std::uint32_t kSeriesMagic = 0x53525331;     // "SRS1"

// What a state may hold to be trusted (the checks below): counts in [0, kMaxStateCount] (no real
// aggregate counts 4.6e18 rows, so a larger or negative count is corruption), and for series a range
// inside Postgres' timestamps (4713 BC .. 294276 AD, in µs since 2000-01-01).
constexpr std::int64_t kMaxStateCount = std::int64_t{1} << 62;
constexpr Micros kMinStateTimestamp = -211813488000000000LL;
constexpr Micros kMaxStateTimestamp = 9223371331200000000LL;

// ---- heatmap: 168 counters, index dow * 24 + hour of the local time, Sunday = 0 -------------------
constexpr int kHeatmapCells = 168;

struct HeatmapState {
    std::int32_t length_word;  // reserved for the container
    std::uint32_t magic;
    std::int64_t counts[kHeatmapCells];
};

void heatmap_init(HeatmapState& s) noexcept;
inline int heatmap_cell(Micros local) noexcept {
    const std::int64_t hours = floor_div(local, kMicrosPerHour);
    const std::int64_t days = floor_div(hours, 24);
    return weekday_from_days(days) * 24 + static_cast<int>(hours - days * 24);
}
inline void heatmap_add(HeatmapState& s, Micros local) noexcept { ++s.counts[heatmap_cell(local)]; }
// Throws Error(OutOfRange, "count") when a sum would overflow.
void heatmap_combine(HeatmapState& into, const HeatmapState& from);
// Throws Error(DataCorrupted) unless `bytes` is a heatmap state of this layout.
void heatmap_check(const void* bytes, std::size_t size);

// ---- histogram: counts per [edges[i-1], edges[i]), edges.size() + 1 buckets ---------------------
struct HistogramHeader {
    std::int32_t length_word;  // reserved for the container
    std::uint32_t magic;
    std::uint32_t edge_count;
    std::uint32_t reserved;
    // followed by double edges[edge_count], then int64 counts[edge_count + 1]
};

class HistogramView {
public:
    explicit HistogramView(void* state) noexcept : h_(static_cast<HistogramHeader*>(state)) {}
    static std::size_t bytes_for(std::size_t edge_count) noexcept {
        return sizeof(HistogramHeader) + edge_count * sizeof(double) + (edge_count + 1) * sizeof(std::int64_t);
    }
    // Validates edges (finite, strictly increasing; throws Error naming "edges") and writes an
    // empty state into `state`, which must hold bytes_for(edges.size()) bytes.
    static void init(void* state, const double* edges, std::size_t edge_count);
    // Throws Error(DataCorrupted) unless `bytes` is a histogram state of this layout.
    static void check(const void* bytes, std::size_t size);

    std::uint32_t edge_count() const noexcept { return h_->edge_count; }
    const double* edges() const noexcept { return reinterpret_cast<const double*>(h_ + 1); }
    std::int64_t* counts() const noexcept {
        return reinterpret_cast<std::int64_t*>(reinterpret_cast<double*>(h_ + 1) + h_->edge_count);
    }
    // Bucket of `value`: the number of edges <= value. NaN sorts above every number, as in Postgres.
    std::size_t bucket_of(double value) const noexcept;
    void add(double value) noexcept { ++counts()[bucket_of(value)]; }
    // Throws Error naming "edges" when the two states were built with different edges.
    void combine(const HistogramView& other);

private:
    HistogramHeader* h_;
};

// ---- dense timeseries: per bucket count and sum ------------------------------------------------
constexpr std::size_t kZoneNameCapacity = 64;
// A series is capped so that one group's state stays small (1.6 MB); 100k buckets is eleven years
// of hours.
constexpr std::uint32_t kMaxSeriesBuckets = 100000;

struct SeriesHeader {
    std::int32_t length_word;  // reserved for the container
    std::uint32_t magic;
    std::uint8_t period;
    std::uint8_t week_start;
    std::uint16_t zone_length;
    std::uint32_t slot_count;
    std::int64_t first_key;
    Micros since;
    Micros until;
    char zone[kZoneNameCapacity];
    // followed by SeriesSlot slots[slot_count]
};

struct SeriesSlot {
    std::int64_t count;
    double sum;
};

struct SeriesPoint {
    Micros bucket;  // UTC start of the bucket
    std::int64_t count;
    double sum;
};

struct SeriesPlan {
    std::int64_t first_key;
    std::uint32_t slot_count;
};

// Slots for every local bucket a row in [since, until) can fall in (DST included). Throws Error for
// since >= until or a series longer than kMaxSeriesBuckets.
SeriesPlan plan_series(Micros since, Micros until, Period period, WeekStart week_start, const ZoneRules& zone);

class SeriesView {
public:
    explicit SeriesView(void* state) noexcept : h_(static_cast<SeriesHeader*>(state)) {}
    static std::size_t bytes_for(std::uint32_t slot_count) noexcept {
        return sizeof(SeriesHeader) + static_cast<std::size_t>(slot_count) * sizeof(SeriesSlot);
    }
    static void init(void* state, const SeriesPlan& plan, Micros since, Micros until, Period period,
                     WeekStart week_start, const ZoneRules& zone);
    static void check(const void* bytes, std::size_t size);

    const SeriesHeader& header() const noexcept { return *h_; }
    SeriesSlot* slots() const noexcept { return reinterpret_cast<SeriesSlot*>(h_ + 1); }
    Period period() const noexcept { return static_cast<Period>(h_->period); }
    WeekStart week_start() const noexcept { return static_cast<WeekStart>(h_->week_start); }

    // Rows outside [since, until) are ignored: the series covers exactly the requested range.
    void add(Micros utc, double value, ZoneCursor& zone) noexcept {
        if (utc < h_->since || utc >= h_->until) return;
        const std::int64_t idx = bucket_key(zone.to_local(utc), period(), week_start()) - h_->first_key;
        if (idx < 0 || idx >= static_cast<std::int64_t>(h_->slot_count)) return;
        SeriesSlot& slot = slots()[idx];
        slot.count += 1;
        slot.sum += value;
    }
    // Throws Error when the states describe different series (range, period, zone).
    void combine(const SeriesView& other);
    // Writes the dense series in bucket order into `out` (room for slot_count points) and returns
    // how many it wrote; keys that map to the same UTC instant (a local hour that a spring-forward
    // gap skips) are merged into one bucket.
    std::size_t points(const ZoneRules& zone, SeriesPoint* out) const noexcept;

private:
    SeriesHeader* h_;
};

}  // namespace support_reports

#include "support_reports/core_only.hpp"
