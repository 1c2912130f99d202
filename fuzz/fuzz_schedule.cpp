// WeekSchedule validation and business_seconds: invalid schedules and zones are an Error, never a
// crash; valid ones satisfy the invariants below (hand-derived, independent of the implementation).
#include <cmath>
#include <cstdio>
#include <vector>

#include "fuzz_input.hpp"
#include "support_reports/error.hpp"
#include "support_reports/schedule.hpp"
#include "support_reports/zone.hpp"

namespace sr = support_reports;

namespace {

sr::ZoneRules make_zone(fuzz::Input& in) {
    const int transitions = in.take<std::uint8_t>() % 9;
    const std::int32_t initial = static_cast<std::int32_t>(in.take<std::int16_t>()) * 2;  // about ±18 h
    std::vector<sr::ZoneRules::Transition> t;
    std::int64_t at = fuzz::clamp_timestamp(in.take<std::int64_t>() / 4);
    for (int i = 0; i < transitions; ++i) {
        t.push_back({at - at % 1000000, static_cast<std::int32_t>(in.take<std::int16_t>()) * 2});
        at += (static_cast<std::int64_t>(in.take<std::uint32_t>()) + 1) * 1000000;
        if (at >= fuzz::kMaxTimestamp / 2) break;
    }
    return sr::ZoneRules("fuzz", initial, t);
}

bool close_enough(double a, double b) { return std::fabs(a - b) <= 1e-3 + 1e-9 * std::fabs(b); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    std::int64_t a = fuzz::clamp_timestamp(in.take<std::int64_t>());
    std::int64_t b = fuzz::clamp_timestamp(in.take<std::int64_t>());
    std::int64_t c = fuzz::clamp_timestamp(in.take<std::int64_t>());
    const bool full_week = in.take<std::uint8_t>() == 0x5a;
    std::vector<std::int32_t> minutes;
    const int n = in.take<std::uint8_t>() % 33;
    for (int i = 0; i < n; ++i) minutes.push_back(static_cast<std::int32_t>(in.take<std::int16_t>()));
    if (full_week) minutes = {0, sr::kMinutesPerWeek};
    try {
        const sr::ZoneRules zone = make_zone(in);
        const sr::WeekSchedule schedule(minutes);
        // sort a <= b <= c
        if (a > b) std::swap(a, b);
        if (b > c) std::swap(b, c);
        if (a > b) std::swap(a, b);
        const double ab = sr::business_seconds(a, b, schedule, zone);
        const double bc = sr::business_seconds(b, c, schedule, zone);
        const double ac = sr::business_seconds(a, c, schedule, zone);
        const double ca = sr::business_seconds(c, a, schedule, zone);
        // In integers first: near 2^62 µs, doubles are 1 ms apart.
        const double elapsed = static_cast<double>(static_cast<__int128>(c) - a) / 1e6;
        if (!(ac >= 0)) fuzz::fail("negative working time for an ordered span");
        if (ac > elapsed + 1e-3 + 1e-12 * elapsed) {
            std::fprintf(stderr, "a=%lld c=%lld ac=%.6f elapsed=%.6f transitions=%zu\n", static_cast<long long>(a),
                         static_cast<long long>(c), ac, elapsed, zone.transition_count());
            fuzz::fail("more working time than elapsed time");
        }
        if (ca != -ac) fuzz::fail("reversed span is not the negation");
        if (!close_enough(ab + bc, ac)) fuzz::fail("working time is not additive");
        if (full_week && !close_enough(ac, elapsed)) fuzz::fail("the full week schedule is not all the time");
        if (schedule.empty() && ac != 0) fuzz::fail("an empty schedule has working time");
    } catch (const sr::Error& e) {
        if (e.parameter().empty()) fuzz::fail("an Error that names no parameter");
    }
    return 0;
}
