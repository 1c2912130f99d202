// Decoding of every aggregate state: arbitrary bytes, and valid states with bytes flipped, go
// through the same check the extension runs before it trusts a state. A state the check accepts
// must then be safe to use (combine, bucket, points): corrupt bytes give Error(DataCorrupted) or a
// state that is used without a crash or undefined behaviour, never anything else. Encoded quantile
// sketches go through the check of sketch_union's window: one it accepts is added to a window and
// must encode back to the same bytes.
#include <cstring>
#include <vector>

#include "fuzz_input.hpp"
#include "support_reports/aggregates.hpp"
#include "support_reports/error.hpp"
#include "support_reports/quantile.hpp"
#include "support_reports/zone.hpp"

namespace sr = support_reports;

namespace {

// A valid state of the chosen kind, for the mutation mode.
std::vector<std::uint8_t> valid_state(int kind, fuzz::Input& in) {
    std::vector<std::uint8_t> bytes;
    if (kind == 0) {
        bytes.resize(sizeof(sr::HeatmapState));
        sr::HeatmapState s;
        sr::heatmap_init(s);
        std::memcpy(bytes.data(), &s, sizeof s);
    } else if (kind == 1) {
        const std::vector<double> edges = {1, 2, 3, 10};
        bytes.resize(sr::HistogramView::bytes_for(edges.size()));
        sr::HistogramView::init(bytes.data(), edges.data(), edges.size());
    } else if (kind == 3) {
        sr::QuantileSketch sketch;
        const int values = in.take<std::uint8_t>() % 32;
        for (int i = 0; i < values; ++i) sketch.add(static_cast<double>(in.take<std::int32_t>()) / 7.0);
        bytes = sketch.encode();
    } else {
        const sr::ZoneRules utc = sr::ZoneRules::fixed("UTC", 0);
        const auto period = static_cast<sr::Period>(in.take<std::uint8_t>() % 6);
        const sr::Micros since = 0, until = 40LL * 86400 * 1000000;
        const sr::SeriesPlan plan = sr::plan_series(since, until, period, sr::WeekStart::Sunday, utc);
        bytes.resize(sr::SeriesView::bytes_for(plan.slot_count));
        sr::SeriesView::init(bytes.data(), plan, since, until, period, sr::WeekStart::Sunday, utc);
    }
    return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    const std::uint8_t mode = in.take<std::uint8_t>();
    const int kind = mode % 4;
    std::vector<std::uint8_t> bytes;
    if (mode & 0x80) {
        // Mutation mode: a real state, then (position, xor) pairs.
        bytes = valid_state(kind, in);
        const int flips = in.take<std::uint8_t>() % 16;
        for (int i = 0; i < flips; ++i) {
            const std::size_t at = in.take<std::uint32_t>() % bytes.size();
            bytes[at] ^= in.take<std::uint8_t>();
        }
    } else {
        bytes.assign(in.rest(), in.rest() + in.left());
    }
    // The extension hands the core an 8-aligned copy (palloc is MAXALIGNed).
    std::vector<std::uint64_t> aligned((bytes.size() + 7) / 8 + 1);
    if (!bytes.empty()) std::memcpy(aligned.data(), bytes.data(), bytes.size());
    void* state = aligned.data();
    const std::size_t n = bytes.size();
    try {
        if (kind == 0) {
            sr::heatmap_check(state, n);
            auto& s = *static_cast<sr::HeatmapState*>(state);
            sr::heatmap_combine(s, s);
        } else if (kind == 1) {
            sr::HistogramView::check(state, n);
            sr::HistogramView h(state);
            for (double v : {-1e300, 0.0, 2.5, 1e300, __builtin_nan("")}) {
                if (h.bucket_of(v) > h.edge_count()) fuzz::fail("bucket past the end");
                h.add(v);
            }
            h.combine(h);
        } else if (kind == 3) {
            const auto* encoded = static_cast<const std::uint8_t*>(state);
            const sr::QuantileSketchSpan span = sr::quantile_encoded_span(encoded, n);
            const sr::QuantileWindowShape shape = sr::QuantileWindow::shape_for(span);
            if (shape.slots() <= sr::kQuantileWindowMaxSize) {
                std::vector<std::uint64_t> block((sr::QuantileWindow::bytes_for(shape) + 7) / 8);
                sr::QuantileWindow::init(block.data(), shape);
                sr::QuantileWindow w(block.data());
                w.add_encoded(encoded, n);
                std::vector<std::uint8_t> out(w.encoded_size());
                w.encode(out.data());
                if (out.size() != n || std::memcmp(out.data(), encoded, n) != 0) fuzz::fail("a window changed a sketch");
            }
        } else {
            sr::SeriesView::check(state, n);
            sr::SeriesView s(state);
            std::vector<std::uint64_t> copy(aligned);
            s.combine(sr::SeriesView(copy.data()));
            const sr::ZoneRules utc = sr::ZoneRules::fixed("UTC", 0);
            std::vector<sr::SeriesPoint> points(s.header().slot_count);
            if (s.points(utc, points.data()) > s.header().slot_count) fuzz::fail("more points than slots");
            sr::ZoneCursor cursor(utc);
            s.add(s.header().since, 1.0, cursor);
        }
    } catch (const sr::Error& e) {
        if (e.parameter().empty() && e.kind() != sr::ErrorKind::DataCorrupted) fuzz::fail("an Error that names nothing");
    }
    return 0;
}
