// reports_internal.count_from and count_excluded: the read path's counts over the rollup's time
// arrays (support_reports/repeats.hpp). Called once per rollup row a report reads, so they are C,
// not SQL functions over unnest (each of those cost an executor start-up per call).
#include "support_reports/repeats.hpp"
#include "guard.hpp"

namespace support_reports::pg {
namespace {

// A timestamp[] argument's elements, in place (int8-sized, by value, no NULLs).
struct Times {
    const std::int64_t* data = nullptr;
    std::size_t n = 0;
};

Times times_of(FunctionCallInfo fcinfo, int arg, const char* parameter) {
    Times t;
    if (PG_ARGISNULL(arg)) return t;
    ArrayType* a = PG_GETARG_ARRAYTYPE_P(arg);
    if (ARR_ELEMTYPE(a) != TIMESTAMPOID || ARR_NDIM(a) > 1 || ARR_HASNULL(a)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid %s: must be a one-dimensional timestamp[] without NULLs", parameter)));
    }
    t.n = static_cast<std::size_t>(ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a)));
    t.data = reinterpret_cast<const std::int64_t*>(ARR_DATA_PTR(a));
    return t;
}

}  // namespace
}  // namespace support_reports::pg

namespace sr = support_reports;
namespace srpg = support_reports::pg;

extern "C" {

// count_from(times timestamp[], start timestamp) -> int8; 0 for a NULL array (a part without times)
PG_FUNCTION_INFO_V1(sr_count_from);
Datum sr_count_from(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(1)) PG_RETURN_NULL();
    const srpg::Times times = srpg::times_of(fcinfo, 0, "times");
    const std::int64_t start = PG_GETARG_TIMESTAMP(1);
    PG_RETURN_INT64(sr::count_at_or_after(times.data, times.n, start));
}

// count_excluded(x_prev timestamp[], x_next timestamp[], since timestamp, until timestamp) -> int8
PG_FUNCTION_INFO_V1(sr_count_excluded);
Datum sr_count_excluded(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(2) || PG_ARGISNULL(3)) PG_RETURN_NULL();
    const srpg::Times prev = srpg::times_of(fcinfo, 0, "x_prev");
    const srpg::Times next = srpg::times_of(fcinfo, 1, "x_next");
    if (prev.n != next.n) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid x_next: %zu times for %zu in x_prev", next.n, prev.n)));
    }
    PG_RETURN_INT64(sr::count_excluded(prev.data, next.data, prev.n, PG_GETARG_TIMESTAMP(2), PG_GETARG_TIMESTAMP(3)));
}

}  // extern "C"
