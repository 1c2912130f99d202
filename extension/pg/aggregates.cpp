// Aggregate glue: heatmap_agg, histogram_agg, series_agg, quantile_sketch_agg/_merge. States are bytea values holding the flat
// layouts of support_reports/aggregates.hpp. Transition functions update the state in place (only
// legal because AggCheckCallContext says we are in an aggregate) and return the same pointer, so
// nodeAgg copies nothing per row.
#include <cmath>
#include <cstring>

#include "support_reports/aggregates.hpp"
#include "support_reports/quantile.hpp"
#include "guard.hpp"
#include "zones.hpp"

namespace sr = support_reports;
namespace srpg = support_reports::pg;

namespace support_reports::pg {
namespace {

void require_aggregate_context(FunctionCallInfo fcinfo, const char* fn) {
    MemoryContext aggctx;
    if (AggCheckCallContext(fcinfo, &aggctx) == 0) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s called in non-aggregate context", fn)));
    }
}

// A state as an aligned, plain 4-byte-header varlena. Our own states already are; a state that came
// through a tuple (a parallel worker's partial result may be stored with a 1-byte header) or from a
// user's hand is copied into one. Returns the possibly new pointer.
bytea* plain_state(Datum d) {
    auto* v = reinterpret_cast<bytea*>(DatumGetPointer(d));
    if (VARATT_IS_4B_U(v) && (reinterpret_cast<std::uintptr_t>(v) % MAXIMUM_ALIGNOF) == 0) return v;
    bytea* detoasted = reinterpret_cast<bytea*>(PG_DETOAST_DATUM_COPY(d));
    // palloc'd memory is MAXALIGNed; PG_DETOAST_DATUM_COPY always returns a 4-byte header.
    return detoasted;
}

std::size_t state_size(bytea* v) { return VARSIZE(v); }

bytea* new_state(std::size_t size) {
    auto* v = static_cast<bytea*>(palloc0(size));
    SET_VARSIZE(v, size);
    return v;
}

bytea* copy_state(bytea* v) {
    bytea* c = new_state(state_size(v));
    std::memcpy(VARDATA(c), VARDATA(v), state_size(v) - VARHDRSZ);
    return c;
}

template <class Check>
bytea* checked_state(Datum d, Check check) {
    bytea* v = plain_state(d);
    call_core([&] { check(static_cast<const void*>(v), state_size(v)); });
    return v;
}

[[noreturn]] void null_argument(const char* fn, const char* parameter) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("%s: %s must not be NULL", fn, parameter)));
    pg_unreachable();
}

[[noreturn]] void infinite_argument(const char* fn, const char* parameter) {
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("%s: %s must be finite", fn, parameter)));
    pg_unreachable();
}

// fn_extra of the transition functions: the zone of the last tz text seen, and a cursor into it.
// Also remembers the last state it validated: a group's state keeps its address from row to row,
// so the layout check runs once per group instead of once per row.
struct RowMemo {
    ZoneMemo zone;
    const ZoneRules* cursor_zone;
    ZoneCursor cursor;
    const void* validated_state;
    // series_agg: the state whose settings were last compared with the row's, and the row values
    // (zone, period and week_start datums) that matched, so the comparison runs again only when
    // one of them changes.
    const void* series_state;
    const ZoneRules* series_zone;
    Datum series_period;
    Datum series_week;
    // histogram_agg: the same for the edges array.
    const void* histogram_state;
    Datum histogram_edges;
};

RowMemo& row_memo(FunctionCallInfo fcinfo) {
    if (fcinfo->flinfo->fn_extra == nullptr) {
        fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RowMemo));
    }
    return *static_cast<RowMemo*>(fcinfo->flinfo->fn_extra);
}

// The transition state of this row, validated once per group (see RowMemo).
// The magic word is still compared per row (one load), so a foreign state that happens to land at a
// freed state's address is never trusted.
template <class Check>
bytea* transition_state(FunctionCallInfo fcinfo, std::uint32_t magic, Check check) {
    RowMemo& memo = row_memo(fcinfo);
    void* p = PG_GETARG_POINTER(0);
    if (p == memo.validated_state && reinterpret_cast<const std::uint32_t*>(p)[1] == magic) {
        return static_cast<bytea*>(p);
    }
    bytea* state = checked_state(PG_GETARG_DATUM(0), check);
    memo.validated_state = state;
    return state;
}

ZoneCursor& row_cursor(FunctionCallInfo fcinfo, text* tz) {
    RowMemo& memo = row_memo(fcinfo);
    const ZoneRules& zone = zone_memoized(memo.zone, tz, "tz");
    if (memo.cursor_zone != &zone) {
        memo.cursor = ZoneCursor(zone);
        memo.cursor_zone = &zone;
    }
    return memo.cursor;
}

// Shared shape of the combine functions: NULL handling and copying; `merge` adds b into a.
template <class Check, class Merge>
Datum combine_states(FunctionCallInfo fcinfo, const char* fn, Check check, Merge merge) {
    require_aggregate_context(fcinfo, fn);
    if (PG_ARGISNULL(1)) {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        PG_RETURN_POINTER(PG_GETARG_POINTER(0));
    }
    bytea* b = checked_state(PG_GETARG_DATUM(1), check);
    if (PG_ARGISNULL(0)) PG_RETURN_BYTEA_P(copy_state(b));  // nodeAgg moves it into the agg context
    bytea* a = checked_state(PG_GETARG_DATUM(0), check);
    call_core([&] { merge(a, b); });
    PG_RETURN_BYTEA_P(a);
}

ArrayType* int8_array(const std::int64_t* values, int n) {
    Datum* d = static_cast<Datum*>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i) d[i] = Int64GetDatum(values[i]);
    return construct_array(d, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

}  // namespace
}  // namespace support_reports::pg

using srpg::checked_state;
using srpg::transition_state;

extern "C" {

// ---- heatmap_agg(ts timestamptz, tz text) -> int8[168] ------------------------------------------

PG_FUNCTION_INFO_V1(sr_heatmap_sfunc);
Datum sr_heatmap_sfunc(PG_FUNCTION_ARGS) {
    srpg::require_aggregate_context(fcinfo, "heatmap_agg");
    // The zone is checked on every row, NULL ts included, so a bad zone is an error even for a
    // group without timestamps (a memcmp per row once the zone is known).
    if (PG_ARGISNULL(2)) srpg::null_argument("heatmap_agg", "tz");
    sr::ZoneCursor& cursor = srpg::row_cursor(fcinfo, PG_GETARG_TEXT_PP(2));
    if (PG_ARGISNULL(1)) {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        PG_RETURN_POINTER(PG_GETARG_POINTER(0));
    }
    const TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);
    if (TIMESTAMP_NOT_FINITE(ts)) srpg::infinite_argument("heatmap_agg", "ts");
    bytea* state;
    if (PG_ARGISNULL(0)) {
        state = srpg::new_state(sizeof(sr::HeatmapState));
        sr::heatmap_init(*reinterpret_cast<sr::HeatmapState*>(state));
    } else {
        state = transition_state(fcinfo, sr::kHeatmapMagic, sr::heatmap_check);
    }
    sr::heatmap_add(*reinterpret_cast<sr::HeatmapState*>(state), cursor.to_local(ts));
    PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(sr_heatmap_combine);
Datum sr_heatmap_combine(PG_FUNCTION_ARGS) {
    return srpg::combine_states(fcinfo, "heatmap_agg", sr::heatmap_check, [](bytea* a, bytea* b) {
        sr::heatmap_combine(*reinterpret_cast<sr::HeatmapState*>(a), *reinterpret_cast<sr::HeatmapState*>(b));
    });
}

PG_FUNCTION_INFO_V1(sr_heatmap_final);
Datum sr_heatmap_final(PG_FUNCTION_ARGS) {
    static const std::int64_t zeros[sr::kHeatmapCells] = {};
    if (PG_ARGISNULL(0)) PG_RETURN_ARRAYTYPE_P(srpg::int8_array(zeros, sr::kHeatmapCells));
    bytea* state = checked_state(PG_GETARG_DATUM(0), sr::heatmap_check);
    PG_RETURN_ARRAYTYPE_P(
        srpg::int8_array(reinterpret_cast<sr::HeatmapState*>(state)->counts, sr::kHeatmapCells));
}

// ---- histogram_agg(value float8, edges float8[]) -> int8[] --------------------------------------

namespace support_reports::pg {
namespace {

// histogram_agg's edges define the buckets of the group's state: a row with other edges would be
// counted against the wrong buckets, so it is an error.
void check_histogram_edges(FunctionCallInfo fcinfo, bytea* state) {
    if (PG_ARGISNULL(2)) null_argument("histogram_agg", "edges");
    RowMemo& memo = row_memo(fcinfo);
    const Datum d = PG_GETARG_DATUM(2);
    if (memo.histogram_state == state && memo.histogram_edges == d) return;
    ArrayType* edges = PG_GETARG_ARRAYTYPE_P(2);
    const sr::HistogramView view(state);
    const int n = ARR_NDIM(edges) == 0 ? 0 : ArrayGetNItems(ARR_NDIM(edges), ARR_DIMS(edges));
    const bool same = ARR_ELEMTYPE(edges) == FLOAT8OID && ARR_NDIM(edges) <= 1 && !ARR_HASNULL(edges) &&
                      static_cast<std::uint32_t>(n) == view.edge_count() &&
                      std::memcmp(ARR_DATA_PTR(edges), view.edges(), sizeof(double) * static_cast<std::size_t>(n)) == 0;
    if (!same) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("histogram_agg: invalid edges: must be the same for every row of a group"),
                        errhint("Pass the edges as a constant, or group by them.")));
    }
    memo.histogram_state = state;
    memo.histogram_edges = d;
}

}  // namespace
}  // namespace support_reports::pg

PG_FUNCTION_INFO_V1(sr_histogram_sfunc);
Datum sr_histogram_sfunc(PG_FUNCTION_ARGS) {
    srpg::require_aggregate_context(fcinfo, "histogram_agg");
    bytea* state;
    if (PG_ARGISNULL(0)) {
        if (PG_ARGISNULL(2)) srpg::null_argument("histogram_agg", "edges");
        ArrayType* edges = PG_GETARG_ARRAYTYPE_P(2);
        if (ARR_ELEMTYPE(edges) != FLOAT8OID || ARR_NDIM(edges) > 1 ||
            (ARR_HASNULL(edges) && array_contains_nulls(edges))) {
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("histogram_agg: edges must be a one-dimensional float8 array without NULLs")));
        }
        const int n = ARR_NDIM(edges) == 0 ? 0 : ArrayGetNItems(ARR_NDIM(edges), ARR_DIMS(edges));
        const auto* values = reinterpret_cast<const double*>(ARR_DATA_PTR(edges));
        state = srpg::new_state(sr::HistogramView::bytes_for(static_cast<std::size_t>(n)));
        srpg::call_core([&] { sr::HistogramView::init(state, values, static_cast<std::size_t>(n)); });
        srpg::RowMemo& memo = srpg::row_memo(fcinfo);
        memo.histogram_state = state;
        memo.histogram_edges = PG_GETARG_DATUM(2);
    } else {
        state = transition_state(fcinfo, sr::kHistogramMagic, sr::HistogramView::check);
        srpg::check_histogram_edges(fcinfo, state);
    }
    if (!PG_ARGISNULL(1)) sr::HistogramView(state).add(PG_GETARG_FLOAT8(1));
    PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(sr_histogram_combine);
Datum sr_histogram_combine(PG_FUNCTION_ARGS) {
    return srpg::combine_states(fcinfo, "histogram_agg", sr::HistogramView::check,
                                [](bytea* a, bytea* b) { sr::HistogramView(a).combine(sr::HistogramView(b)); });
}

PG_FUNCTION_INFO_V1(sr_histogram_final);
Datum sr_histogram_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    bytea* state = checked_state(PG_GETARG_DATUM(0), sr::HistogramView::check);
    sr::HistogramView view(state);
    PG_RETURN_ARRAYTYPE_P(srpg::int8_array(view.counts(), static_cast<int>(view.edge_count()) + 1));
}

namespace support_reports::pg {
namespace {

// series_agg's range, period, zone and week start define the series: a row whose values differ
// from the group's first row would be counted against the wrong buckets or dropped, so it is an
// error (the arguments are documented as constant within a group).
[[noreturn]] void series_not_constant(const char* parameter) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("series_agg: invalid %s: must be the same for every row of a group", parameter),
                    errhint("Pass the range, period, tz and week_start as constants, or group by them.")));
    pg_unreachable();
}

void check_series_constant(FunctionCallInfo fcinfo, bytea* state, const ZoneRules& zone) {
    static const char* const kNames[] = {nullptr, nullptr, nullptr, "period", "tz", "since", "until", "week_start"};
    for (int i = 3; i < PG_NARGS(); ++i) {
        if (PG_ARGISNULL(i)) null_argument("series_agg", kNames[i]);
    }
    const sr::SeriesHeader& h = sr::SeriesView(state).header();
    if (PG_GETARG_TIMESTAMPTZ(5) != h.since) series_not_constant("since");
    if (PG_GETARG_TIMESTAMPTZ(6) != h.until) series_not_constant("until");
    RowMemo& memo = row_memo(fcinfo);
    const Datum period = PG_GETARG_DATUM(3);
    const Datum week = PG_NARGS() > 7 ? PG_GETARG_DATUM(7) : Datum(0);
    if (memo.series_state == state && memo.series_zone == &zone && memo.series_period == period &&
        memo.series_week == week)
        return;
    const std::string& name = zone.name();
    if (name.size() != h.zone_length || std::memcmp(name.data(), h.zone, h.zone_length) != 0)
        series_not_constant("tz");
    text* period_text = PG_GETARG_TEXT_PP(3);
    text* week_text = PG_NARGS() > 7 ? PG_GETARG_TEXT_PP(7) : nullptr;
    struct Settings {
        sr::Period period;
        sr::WeekStart week_start;
    };
    const Settings row = call_core([&] {
        return Settings{
            sr::parse_period(std::string_view(VARDATA_ANY(period_text), VARSIZE_ANY_EXHDR(period_text))),
            week_text == nullptr
                ? sr::WeekStart::Sunday
                : sr::parse_week_start(std::string_view(VARDATA_ANY(week_text), VARSIZE_ANY_EXHDR(week_text)))};
    });
    if (static_cast<std::uint8_t>(row.period) != h.period) series_not_constant("period");
    if (static_cast<std::uint8_t>(row.week_start) != h.week_start) series_not_constant("week_start");
    memo.series_state = state;
    memo.series_zone = &zone;
    memo.series_period = period;
    memo.series_week = week;
}

}  // namespace
}  // namespace support_reports::pg

// ---- series_agg(ts, value, period, tz, since, until [, week_start]) -> series_bucket[] ------------

PG_FUNCTION_INFO_V1(sr_series_sfunc);
Datum sr_series_sfunc(PG_FUNCTION_ARGS) {
    srpg::require_aggregate_context(fcinfo, "series_agg");
    const bool skip_row = PG_ARGISNULL(1) || PG_ARGISNULL(2);
    if (skip_row && !PG_ARGISNULL(0)) PG_RETURN_POINTER(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(4)) srpg::null_argument("series_agg", "tz");
    sr::ZoneCursor& cursor = srpg::row_cursor(fcinfo, PG_GETARG_TEXT_PP(4));
    bytea* state;
    if (PG_ARGISNULL(0)) {
        // First row of the group: the range, period and zone define the series. They must be the
        // same for every row of a group (as for any aggregate's "direct" settings).
        static const char* const kNames[] = {nullptr, nullptr, nullptr, "period", "tz", "since", "until", "week_start"};
        for (int i = 3; i < PG_NARGS(); ++i) {
            if (PG_ARGISNULL(i)) srpg::null_argument("series_agg", kNames[i]);
        }
        text* period_text = PG_GETARG_TEXT_PP(3);
        text* week_text = PG_NARGS() > 7 ? PG_GETARG_TEXT_PP(7) : nullptr;
        const TimestampTz since = PG_GETARG_TIMESTAMPTZ(5);
        const TimestampTz until = PG_GETARG_TIMESTAMPTZ(6);
        if (TIMESTAMP_NOT_FINITE(since)) srpg::infinite_argument("series_agg", "since");
        if (TIMESTAMP_NOT_FINITE(until)) srpg::infinite_argument("series_agg", "until");
        struct Setup {
            sr::Period period;
            sr::WeekStart week_start;
            sr::SeriesPlan plan;
        };
        const Setup setup = srpg::call_core([&] {
            const sr::Period period =
                sr::parse_period(std::string_view(VARDATA_ANY(period_text), VARSIZE_ANY_EXHDR(period_text)));
            const sr::WeekStart ws =
                week_text == nullptr
                    ? sr::WeekStart::Sunday
                    : sr::parse_week_start(std::string_view(VARDATA_ANY(week_text), VARSIZE_ANY_EXHDR(week_text)));
            return Setup{period, ws, sr::plan_series(since, until, period, ws, cursor.zone())};
        });
        state = srpg::new_state(sr::SeriesView::bytes_for(setup.plan.slot_count));
        srpg::call_core([&] {
            sr::SeriesView::init(state, setup.plan, since, until, setup.period, setup.week_start, cursor.zone());
        });
        srpg::RowMemo& memo = srpg::row_memo(fcinfo);
        memo.series_state = state;
        memo.series_zone = &cursor.zone();
        memo.series_period = PG_GETARG_DATUM(3);
        memo.series_week = PG_NARGS() > 7 ? PG_GETARG_DATUM(7) : Datum(0);
        if (skip_row) PG_RETURN_BYTEA_P(state);
    } else {
        state = transition_state(fcinfo, sr::kSeriesMagic, sr::SeriesView::check);
        srpg::check_series_constant(fcinfo, state, cursor.zone());
    }
    const TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);
    if (!TIMESTAMP_NOT_FINITE(ts)) sr::SeriesView(state).add(ts, PG_GETARG_FLOAT8(2), cursor);
    PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(sr_series_combine);
Datum sr_series_combine(PG_FUNCTION_ARGS) {
    return srpg::combine_states(fcinfo, "series_agg", sr::SeriesView::check,
                                [](bytea* a, bytea* b) { sr::SeriesView(a).combine(sr::SeriesView(b)); });
}

PG_FUNCTION_INFO_V1(sr_series_final);
Datum sr_series_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    bytea* state = checked_state(PG_GETARG_DATUM(0), sr::SeriesView::check);
    sr::SeriesView view(state);
    const sr::SeriesHeader& h = view.header();
    const sr::ZoneRules& zone = srpg::zone_named(h.zone, h.zone_length, "tz");
    auto* points = static_cast<sr::SeriesPoint*>(palloc(sizeof(sr::SeriesPoint) * (h.slot_count + 1)));
    const std::size_t n = srpg::call_core([&] { return view.points(zone, points); });

    const Oid array_type = get_func_rettype(fcinfo->flinfo->fn_oid);
    const Oid row_type = get_element_type(array_type);
    TupleDesc desc = lookup_rowtype_tupdesc_copy(row_type, -1);
    int16 typlen;
    bool typbyval;
    char typalign;
    get_typlenbyvalalign(row_type, &typlen, &typbyval, &typalign);
    Datum* rows = static_cast<Datum*>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
    for (std::size_t i = 0; i < n; ++i) {
        if (!IS_VALID_TIMESTAMP(points[i].bucket)) {
            ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                            errmsg("series_agg: a bucket of the range starts outside the timestamp range")));
        }
        Datum values[3] = {TimestampTzGetDatum(points[i].bucket), Int64GetDatum(points[i].count),
                           Float8GetDatum(points[i].sum)};
        bool nulls[3] = {false, false, false};
        rows[i] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
    }
    PG_RETURN_ARRAYTYPE_P(construct_array(rows, static_cast<int>(n), row_type, typlen, typbyval, typalign));
}

}  // extern "C"

// ---- quantile_sketch_agg(value float8), quantile_sketch_merge(sketch bytea) -> bytea -------------
// Both keep a working state (support_reports/quantile.hpp) and return the encoded sketch. A state
// that is full is copied into one twice as large in the per-row context; nodeAgg then moves the
// new state into the aggregate context and frees the old one, as for any changed by-ref state.

namespace support_reports::pg {
namespace {

bytea* new_quantile_state(std::uint32_t capacity) {
    bytea* state = new_state(sr::QuantileView::bytes_for(capacity));
    sr::QuantileView::init(state, capacity);
    return state;
}

// A copy of `state` with room for at least `buckets` buckets (capacities double, so n adds or
// merges copy O(n) buckets in all).
bytea* grown_quantile_state(bytea* state, std::uint32_t buckets) {
    const sr::QuantileView view(state);
    std::uint32_t capacity = view.header().capacity;
    while (capacity < buckets) capacity = capacity * 2 > sr::kQuantileMaxBuckets ? sr::kQuantileMaxBuckets : capacity * 2;
    bytea* grown = new_state(sr::QuantileView::bytes_for(capacity));
    view.grow_into(grown, capacity);
    return grown;
}

// Merges `other` into `state` (growing it when needed); returns the state that holds the result.
bytea* merge_quantile_states(bytea* state, const sr::QuantileView& other) {
    const std::uint32_t buckets = sr::QuantileView(state).merged_bucket_count(other);
    if (buckets > sr::QuantileView(state).header().capacity) state = grown_quantile_state(state, buckets);
    call_core([&] { sr::QuantileView(state).merge(other); });
    return state;
}

// An encoded sketch (a bytea argument) as a working state in the current memory context.
bytea* decoded_sketch(bytea* sketch) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(sketch));
    const std::size_t size = VARSIZE_ANY_EXHDR(sketch);
    const std::uint32_t buckets = call_core([&] { return sr::quantile_encoded_buckets(bytes, size); });
    bytea* state = new_state(sr::QuantileView::bytes_for(buckets));
    call_core([&] { sr::quantile_decode(bytes, size, state, buckets); });
    return state;
}

}  // namespace
}  // namespace support_reports::pg

extern "C" {

PG_FUNCTION_INFO_V1(sr_quantile_sfunc);
Datum sr_quantile_sfunc(PG_FUNCTION_ARGS) {
    srpg::require_aggregate_context(fcinfo, "quantile_sketch_agg");
    if (PG_ARGISNULL(1)) {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        PG_RETURN_POINTER(PG_GETARG_POINTER(0));
    }
    const double value = PG_GETARG_FLOAT8(1);
    const std::int32_t key = srpg::call_core([&] { return sr::quantile_key(value); });
    bytea* state = PG_ARGISNULL(0) ? srpg::new_quantile_state(8)
                                   : transition_state(fcinfo, sr::kQuantileMagic, sr::QuantileView::check);
    if (!sr::QuantileView(state).add(key)) {
        state = srpg::grown_quantile_state(state, sr::QuantileView(state).header().used + 1);
        sr::QuantileView(state).add(key);
    }
    PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(sr_quantile_merge_sfunc);
Datum sr_quantile_merge_sfunc(PG_FUNCTION_ARGS) {
    srpg::require_aggregate_context(fcinfo, "quantile_sketch_merge");
    if (PG_ARGISNULL(1)) {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        PG_RETURN_POINTER(PG_GETARG_POINTER(0));
    }
    bytea* other = srpg::decoded_sketch(PG_GETARG_BYTEA_PP(1));
    if (PG_ARGISNULL(0)) PG_RETURN_BYTEA_P(other);
    bytea* state = transition_state(fcinfo, sr::kQuantileMagic, sr::QuantileView::check);
    PG_RETURN_BYTEA_P(srpg::merge_quantile_states(state, sr::QuantileView(other)));
}

PG_FUNCTION_INFO_V1(sr_quantile_combine);
Datum sr_quantile_combine(PG_FUNCTION_ARGS) {
    srpg::require_aggregate_context(fcinfo, "quantile_sketch_agg");
    if (PG_ARGISNULL(1)) {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        PG_RETURN_POINTER(PG_GETARG_POINTER(0));
    }
    bytea* b = checked_state(PG_GETARG_DATUM(1), sr::QuantileView::check);
    if (PG_ARGISNULL(0)) PG_RETURN_BYTEA_P(srpg::copy_state(b));
    bytea* a = checked_state(PG_GETARG_DATUM(0), sr::QuantileView::check);
    PG_RETURN_BYTEA_P(srpg::merge_quantile_states(a, sr::QuantileView(b)));
}

PG_FUNCTION_INFO_V1(sr_quantile_final);
Datum sr_quantile_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    bytea* state = checked_state(PG_GETARG_DATUM(0), sr::QuantileView::check);
    const sr::QuantileView view(state);
    const std::size_t size = view.encoded_size();
    auto* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    view.encode(reinterpret_cast<std::uint8_t*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

}  // extern "C"

// ---- sketch_union(sketch bytea) -> bytea: quantile_sketch_merge for reports over many rows --------
// The state is `internal` (SQL cannot hand it a forged one, so it is never re-checked): dense
// windows of counts (support_reports/quantile.hpp), or a sorted-array state once a sketch with too
// wide a spread arrives. Blocks live in the aggregate context; a replaced one
// is freed at once.

namespace support_reports::pg {
namespace {

struct UnionState {
    bool sparse;   // block is a QuantileView state, else a QuantileWindow
    bytea* block;
};

bytea* new_window(const sr::QuantileWindowShape& shape) {
    bytea* block = new_state(sr::QuantileWindow::bytes_for(shape));
    sr::QuantileWindow::init(block, shape);
    return block;
}

// The window's counts as a sorted-array state with room for `more` buckets besides.
bytea* window_to_sparse(bytea* window, std::uint32_t more) {
    const sr::QuantileWindow w(window);
    const std::uint32_t capacity = w.bucket_count() + more;
    bytea* state = new_state(sr::QuantileView::bytes_for(capacity));
    w.to_sparse(state, capacity);
    return state;
}

void union_add(UnionState* u, bytea* sketch) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(sketch));
    const std::size_t size = VARSIZE_ANY_EXHDR(sketch);
    const sr::QuantileSketchSpan span = call_core([&] { return sr::quantile_encoded_span(bytes, size); });
    if (!u->sparse) {
        const sr::QuantileWindow w(u->block);
        const bool fits = w.holds(span);
        const sr::QuantileWindowShape shape = fits ? sr::QuantileWindowShape{} : w.widened(span);
        if (!fits && shape.slots() > sr::kQuantileWindowMaxSize) {
            bytea* state = window_to_sparse(u->block, span.buckets);
            pfree(u->block);
            u->block = state;
            u->sparse = true;
        } else {
            if (!fits) {
                bytea* grown = new_window(shape);
                w.copy_into(grown);
                pfree(u->block);
                u->block = grown;
            }
            call_core([&] { sr::QuantileWindow(u->block).add_encoded(bytes, size); });
            return;
        }
    }
    bytea* other = new_state(sr::QuantileView::bytes_for(span.buckets));
    call_core([&] { sr::quantile_decode(bytes, size, other, span.buckets); });
    bytea* merged = merge_quantile_states(u->block, sr::QuantileView(other));
    if (merged != u->block) pfree(u->block);
    u->block = merged;
    pfree(other);
}

}  // namespace
}  // namespace support_reports::pg

extern "C" {

PG_FUNCTION_INFO_V1(sr_sketch_union_sfunc);
Datum sr_sketch_union_sfunc(PG_FUNCTION_ARGS) {
    MemoryContext aggcontext;
    if (!AggCheckCallContext(fcinfo, &aggcontext)) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("sketch_union_sfunc called outside an aggregate")));
    }
    auto* u = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<srpg::UnionState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(1)) {
        if (u == nullptr) PG_RETURN_NULL();
        PG_RETURN_POINTER(u);
    }
    bytea* sketch = PG_GETARG_BYTEA_PP(1);
    const MemoryContext old = MemoryContextSwitchTo(aggcontext);
    if (u == nullptr) {
        u = static_cast<srpg::UnionState*>(palloc(sizeof(srpg::UnionState)));
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(sketch));
        const std::size_t size = VARSIZE_ANY_EXHDR(sketch);
        const sr::QuantileSketchSpan span = srpg::call_core([&] { return sr::quantile_encoded_span(bytes, size); });
        const sr::QuantileWindowShape shape = sr::QuantileWindow::shape_for(span);
        u->sparse = shape.slots() > sr::kQuantileWindowMaxSize;
        u->block = u->sparse ? srpg::new_quantile_state(8) : srpg::new_window(shape);
    }
    srpg::union_add(u, sketch);
    MemoryContextSwitchTo(old);
    PG_RETURN_POINTER(u);
}

PG_FUNCTION_INFO_V1(sr_sketch_union_final);
Datum sr_sketch_union_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    const auto* u = reinterpret_cast<const srpg::UnionState*>(PG_GETARG_POINTER(0));
    std::size_t size;
    if (u->sparse) size = sr::QuantileView(u->block).encoded_size();
    else size = sr::QuantileWindow(u->block).encoded_size();
    auto* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    auto* bytes = reinterpret_cast<std::uint8_t*>(VARDATA(out));
    if (u->sparse) sr::QuantileView(u->block).encode(bytes);
    else sr::QuantileWindow(u->block).encode(bytes);
    PG_RETURN_BYTEA_P(out);
}

}  // extern "C"

extern "C" {

// sketch_quantile(sketch bytea, q float8) -> float8: NULL for a sketch of no values.
PG_FUNCTION_INFO_V1(sr_sketch_quantile);
Datum sr_sketch_quantile(PG_FUNCTION_ARGS) {
    bytea* state = srpg::decoded_sketch(PG_GETARG_BYTEA_PP(0));
    const double q = PG_GETARG_FLOAT8(1);
    const double value = srpg::call_core([&] { return sr::QuantileView(state).quantile(q); });
    if (std::isnan(value)) PG_RETURN_NULL();
    PG_RETURN_FLOAT8(value);
}

// sketch_count(sketch bytea) -> bigint: the number of values the sketch holds.
PG_FUNCTION_INFO_V1(sr_sketch_count);
Datum sr_sketch_count(PG_FUNCTION_ARGS) {
    bytea* state = srpg::decoded_sketch(PG_GETARG_BYTEA_PP(0));
    PG_RETURN_INT64(sr::QuantileView(state).count());
}

}  // extern "C"
