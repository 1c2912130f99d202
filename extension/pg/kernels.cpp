// Scalar kernels: reports.business_seconds and reports.bucket_start.
#include <cstring>
#include <memory>
#include <vector>

#include "support_reports/bucket.hpp"
#include "support_reports/schedule.hpp"
#include "guard.hpp"
#include "zones.hpp"

namespace support_reports::pg {

namespace {

[[noreturn]] void finite_required(const char* parameter) {
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("invalid %s: timestamp must be finite", parameter)));
    pg_unreachable();
}

// fn_extra memo of business_seconds: the schedule parsed from the last array seen (compared by
// bytes, so a constant or per-inbox schedule is parsed once per run of equal values) and the zone.
struct ScheduleMemo {
    ZoneMemo zone;
    WeekSchedule* schedule;  // owned; deleted by the memory-context callback below
    int nbytes;
    char* bytes;  // copy of the array's element data, in fn_mcxt
    int capacity;
    MemoryContextCallback cleanup;
};

void delete_schedule(void* arg) {
    auto* memo = static_cast<ScheduleMemo*>(arg);
    delete memo->schedule;
    memo->schedule = nullptr;
}

ScheduleMemo& schedule_memo(FunctionCallInfo fcinfo) {
    if (fcinfo->flinfo->fn_extra == nullptr) {
        auto* memo = static_cast<ScheduleMemo*>(MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ScheduleMemo)));
        memo->cleanup.func = delete_schedule;
        memo->cleanup.arg = memo;
        MemoryContextRegisterResetCallback(fcinfo->flinfo->fn_mcxt, &memo->cleanup);
        fcinfo->flinfo->fn_extra = memo;
    }
    return *static_cast<ScheduleMemo*>(fcinfo->flinfo->fn_extra);
}

const WeekSchedule& schedule_from_array(FunctionCallInfo fcinfo, ScheduleMemo& memo, ArrayType* arr) {
    if (ARR_NDIM(arr) > 1) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid schedule: expected a one-dimensional int4 array")));
    }
    if (ARR_HASNULL(arr) && array_contains_nulls(arr)) {
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("invalid schedule: array contains NULL")));
    }
    const int count = ARR_NDIM(arr) == 0 ? 0 : ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
    const int nbytes = count * static_cast<int>(sizeof(int32));
    const char* data = ARR_DATA_PTR(arr);
    if (memo.schedule != nullptr && memo.nbytes == nbytes && std::memcmp(memo.bytes, data, nbytes) == 0) {
        return *memo.schedule;
    }
    if (nbytes > memo.capacity) {
        memo.bytes = static_cast<char*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, nbytes));
        memo.capacity = nbytes;
    }
    WeekSchedule* fresh = call_core([&]() -> WeekSchedule* {
        std::vector<std::int32_t> minutes(static_cast<std::size_t>(count));
        if (count > 0) std::memcpy(minutes.data(), data, nbytes);
        auto parsed = std::make_unique<WeekSchedule>(minutes);
        delete memo.schedule;
        memo.schedule = nullptr;
        return parsed.release();
    });
    memo.schedule = fresh;
    if (nbytes > 0) std::memcpy(memo.bytes, data, nbytes);
    memo.nbytes = nbytes;
    return *memo.schedule;
}

}  // namespace

}  // namespace support_reports::pg

using support_reports::Micros;
namespace sr = support_reports;
namespace srpg = support_reports::pg;

extern "C" {

PG_FUNCTION_INFO_V1(sr_business_seconds);
Datum sr_business_seconds(PG_FUNCTION_ARGS) {
    const TimestampTz from = PG_GETARG_TIMESTAMPTZ(0);
    const TimestampTz to = PG_GETARG_TIMESTAMPTZ(1);
    ArrayType* schedule = PG_GETARG_ARRAYTYPE_P(2);
    text* tz = PG_GETARG_TEXT_PP(3);
    if (TIMESTAMP_NOT_FINITE(from)) srpg::finite_required("from_ts");
    if (TIMESTAMP_NOT_FINITE(to)) srpg::finite_required("to_ts");
    srpg::ScheduleMemo& memo = srpg::schedule_memo(fcinfo);
    const sr::WeekSchedule& week = srpg::schedule_from_array(fcinfo, memo, schedule);
    const sr::ZoneRules& zone = srpg::zone_memoized(memo.zone, tz, "tz");
    PG_RETURN_FLOAT8(sr::business_seconds(from, to, week, zone));
}

PG_FUNCTION_INFO_V1(sr_bucket_start);
Datum sr_bucket_start(PG_FUNCTION_ARGS) {
    const TimestampTz ts = PG_GETARG_TIMESTAMPTZ(0);
    text* period_text = PG_GETARG_TEXT_PP(1);
    text* tz = PG_GETARG_TEXT_PP(2);
    text* week_text = PG_NARGS() > 3 ? PG_GETARG_TEXT_PP(3) : nullptr;
    struct Parsed {
        sr::Period period;
        sr::WeekStart week_start;
    };
    const Parsed parsed = srpg::call_core([&] {
        const std::string_view p(VARDATA_ANY(period_text), VARSIZE_ANY_EXHDR(period_text));
        sr::WeekStart ws = sr::WeekStart::Sunday;
        if (week_text != nullptr) {
            ws = sr::parse_week_start(std::string_view(VARDATA_ANY(week_text), VARSIZE_ANY_EXHDR(week_text)));
        }
        return Parsed{sr::parse_period(p), ws};
    });
    // Checked after the arguments, so a bad period is reported even for an infinite timestamp.
    if (fcinfo->flinfo->fn_extra == nullptr) {
        fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(srpg::ZoneMemo));
    }
    const sr::ZoneRules& zone = srpg::zone_memoized(*static_cast<srpg::ZoneMemo*>(fcinfo->flinfo->fn_extra), tz, "tz");
    if (TIMESTAMP_NOT_FINITE(ts)) PG_RETURN_TIMESTAMPTZ(ts);  // like date_trunc: infinity stays infinity
    const TimestampTz result = sr::bucket_start(ts, parsed.period, parsed.week_start, zone);
    if (!IS_VALID_TIMESTAMP(result)) {
        // The bucket of an instant near the ends of the timestamp range can start outside it.
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("invalid ts: the %s bucket of this timestamp starts outside the timestamp range",
                               sr::period_name(parsed.period))));
    }
    PG_RETURN_TIMESTAMPTZ(result);
}

}  // extern "C"
