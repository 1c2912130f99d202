// The quantile sketch: error bound against exact quantiles (computed here by sorting, the way
// percentile_cont interpolates), merge == sketch of the union, canonical encoding, corrupt input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "support_reports/error.hpp"
#include "support_reports/quantile.hpp"

using namespace support_reports;

namespace {

// percentile_cont over the sorted values, written out independently of the sketch.
double exact_quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double rank = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const auto hi = static_cast<std::size_t>(std::ceil(rank));
    return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

QuantileSketch sketch_of(const std::vector<double>& values) {
    QuantileSketch s;
    for (double v : values) s.add(v);
    return s;
}

const double kQs[] = {0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};

// Every quantile within 1% of the exact one (the values are all of one sign).
void expect_within_bound(const std::vector<double>& values, const char* what) {
    const QuantileSketch s = sketch_of(values);
    ASSERT_EQ(s.count(), static_cast<std::int64_t>(values.size())) << what;
    for (double q : kQs) {
        const double exact = exact_quantile(values, q);
        const double est = s.quantile(q);
        if (exact == 0) {
            EXPECT_EQ(est, 0) << what << " q=" << q;
        } else {
            EXPECT_LE(std::fabs(est - exact) / std::fabs(exact), 0.01) << what << " q=" << q << " exact=" << exact
                                                                       << " est=" << est;
        }
    }
}

}  // namespace

TEST(Quantile, HandWorkedValues) {
    // 1..5: the median is 3, p90 = 4 + 0.6 * (5 - 4) = 4.6 (percentile_cont), each within 1%.
    const QuantileSketch s = sketch_of({5, 1, 4, 2, 3});
    EXPECT_NEAR(s.quantile(0.5), 3, 0.03);
    EXPECT_NEAR(s.quantile(0.9), 4.6, 0.046);
    EXPECT_NEAR(s.quantile(0), 1, 0.01);
    EXPECT_NEAR(s.quantile(1), 5, 0.05);
    // One value: every quantile is that value.
    const QuantileSketch one = sketch_of({3600});
    EXPECT_NEAR(one.quantile(0.5), 3600, 36);
    EXPECT_NEAR(one.quantile(0.9), 3600, 36);
    // Zeros are exact.
    const QuantileSketch zeros = sketch_of({0, 0, 0, 7});
    EXPECT_EQ(zeros.quantile(0.5), 0);
    EXPECT_EQ(zeros.bucket_count(), 2u);
}

TEST(Quantile, EmptySketchHasNoQuantile) {
    const QuantileSketch s;
    EXPECT_EQ(s.count(), 0);
    EXPECT_TRUE(std::isnan(s.quantile(0.5)));
    // and encodes/decodes as the empty sketch
    const QuantileSketch d = QuantileSketch::decode(s.encode());
    EXPECT_EQ(d.count(), 0);
}

TEST(Quantile, BadInput) {
    QuantileSketch s;
    EXPECT_THROW(s.add(NAN), Error);
    EXPECT_THROW(s.add(INFINITY), Error);
    EXPECT_THROW(s.add(-INFINITY), Error);
    EXPECT_EQ(s.count(), 0);  // nothing half-added
    s.add(1);
    try {
        s.quantile(1.5);
        FAIL() << "q = 1.5 accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.parameter(), "q");
        EXPECT_EQ(e.kind(), ErrorKind::InvalidParameter);
    }
    EXPECT_THROW(s.quantile(-0.1), Error);
    EXPECT_THROW(s.quantile(NAN), Error);
}

TEST(Quantile, ErrorBoundOnRandomDistributions) {
    std::mt19937_64 rng(42);
    std::vector<double> uniform, exponential, lognormal, pareto;
    std::uniform_real_distribution<double> u(0, 86400);
    std::exponential_distribution<double> e(1.0 / 3600);
    std::lognormal_distribution<double> ln(7, 2.5);
    std::uniform_real_distribution<double> u01(0, 1);
    for (int i = 0; i < 20000; ++i) {
        uniform.push_back(u(rng));
        exponential.push_back(e(rng));
        lognormal.push_back(ln(rng));
        pareto.push_back(60 / std::pow(1 - u01(rng), 1 / 1.1));  // heavy tail
    }
    expect_within_bound(uniform, "uniform");
    expect_within_bound(exponential, "exponential");
    expect_within_bound(lognormal, "lognormal");
    expect_within_bound(pareto, "pareto");
    std::vector<double> negative;
    for (double v : lognormal) negative.push_back(-v);
    expect_within_bound(negative, "negative lognormal");
}

TEST(Quantile, ErrorBoundOnAdversarialDistributions) {
    // Every value at a bucket edge gamma^i and just past it, over 600 orders of magnitude.
    const double gamma = (1 + kQuantileRelativeAccuracy) / (1 - kQuantileRelativeAccuracy);
    std::vector<double> edges;
    for (double v = 1e-300; v < 1e300; v *= gamma * 1.37) {
        edges.push_back(v);
        edges.push_back(std::nextafter(v, DBL_MAX));
    }
    expect_within_bound(edges, "bucket edges");
    // Extremes: the smallest normal and the largest doubles, and one huge outlier among small values.
    expect_within_bound({DBL_MIN, DBL_MIN * 3, 1, DBL_MAX / 2, DBL_MAX}, "extremes");
    std::vector<double> outlier(999, 30.0);
    outlier.push_back(3 * 86400.0 * 365 * 1000);
    expect_within_bound(outlier, "outlier");
    // Many equal values, and two clusters far apart (the interpolated quantile between them).
    expect_within_bound(std::vector<double>(5000, 1234.5), "constant");
    std::vector<double> clusters(100, 1.0);
    clusters.insert(clusters.end(), 100, 1e6);
    expect_within_bound(clusters, "two clusters");
    // Subnormal magnitudes count as zero (documented), exactly.
    const QuantileSketch tiny = sketch_of({DBL_MIN / 4, 0, -DBL_MIN / 8});
    EXPECT_EQ(tiny.quantile(0.5), 0);
    EXPECT_EQ(tiny.bucket_count(), 1u);
}

TEST(Quantile, MixedSignsOrderAndZero) {
    // Keys order as values do: the quantiles walk negative, zero and positive values in order.
    const QuantileSketch s = sketch_of({-100, -1, 0, 1, 100});
    EXPECT_NEAR(s.quantile(0), -100, 1);
    EXPECT_NEAR(s.quantile(0.25), -1, 0.01);
    EXPECT_EQ(s.quantile(0.5), 0);
    EXPECT_NEAR(s.quantile(0.75), 1, 0.01);
    EXPECT_NEAR(s.quantile(1), 100, 1);
}

TEST(Quantile, MergeEqualsSketchOfUnion) {
    std::mt19937_64 rng(7);
    std::lognormal_distribution<double> ln(6, 3);
    std::vector<double> all;
    std::vector<QuantileSketch> parts(24);
    for (int i = 0; i < 24000; ++i) {
        const double v = (i % 97 == 0) ? 0 : ln(rng) * ((i % 13 == 0) ? -1 : 1);
        all.push_back(v);
        parts[static_cast<std::size_t>(i) % 7 * 3 % 24].add(v);
    }
    const std::vector<std::uint8_t> whole = sketch_of(all).encode();
    // left to right
    QuantileSketch merged;
    for (const auto& p : parts) merged.merge(p);
    EXPECT_EQ(merged.encode(), whole);
    // a tree, right to left: merging is associative and commutative, byte for byte
    QuantileSketch left, right;
    for (std::size_t i = 24; i-- > 12;) right.merge(parts[i]);
    for (std::size_t i = 12; i-- > 0;) left.merge(parts[i]);
    right.merge(left);
    EXPECT_EQ(right.encode(), whole);
    // merging an empty sketch changes nothing; merging into an empty one copies
    QuantileSketch empty;
    merged.merge(empty);
    EXPECT_EQ(merged.encode(), whole);
    empty.merge(merged);
    EXPECT_EQ(empty.encode(), whole);
}

TEST(Quantile, MergeOfInterleavedAndDisjointKeys) {
    // The in-place backward merge: b's keys before, between, equal to and after a's.
    const QuantileSketch a = sketch_of({10, 1000, 100000});
    const QuantileSketch b = sketch_of({1, 10, 500, 1000, 1e9});
    QuantileSketch m = a;
    m.merge(b);
    EXPECT_EQ(m.encode(), sketch_of({10, 1000, 100000, 1, 10, 500, 1000, 1e9}).encode());
    EXPECT_EQ(m.bucket_count(), 6u);
    EXPECT_EQ(m.count(), 8);
}

TEST(Quantile, SmallSketchesMergeIntoALargeStateAsIntoAnyOther) {
    // A report's running total of many small rollup sketches: merges whose keys the large state
    // already has (counts added in place), and some with keys it lacks (before, between and past
    // its keys), each checked against the sketch of the union of the values.
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> ln(7, 2);
    std::vector<double> all;
    QuantileSketch total;
    for (int i = 0; i < 20000; ++i) {
        const double v = ln(rng);
        all.push_back(v);
        total.add(v);
    }
    ASSERT_GT(total.bucket_count(), 400u);
    for (int part = 0; part < 300; ++part) {
        std::vector<double> values;
        for (int k = 0; k < 1 + part % 9; ++k) values.push_back(all[static_cast<std::size_t>((part * 37 + k * 101) % 20000)]);
        if (part % 50 == 7) values.push_back(1e-300 * (part + 1));  // below every key so far
        if (part % 50 == 19) values.push_back(1e12 + part);         // past every key so far
        if (part % 50 == 31) values.push_back(-3.5 * part);          // a negative value
        const QuantileSketch small = sketch_of(values);
        ASSERT_LT(small.bucket_count() * 8u, total.bucket_count());
        const std::uint32_t before = total.bucket_count();
        const std::uint32_t expected_buckets = total.view().merged_bucket_count(small.view());
        total.merge(small);
        EXPECT_EQ(total.bucket_count(), expected_buckets);
        EXPECT_GE(total.bucket_count(), before);
        all.insert(all.end(), values.begin(), values.end());
    }
    EXPECT_EQ(total.encode(), sketch_of(all).encode());
    EXPECT_EQ(total.count(), static_cast<std::int64_t>(all.size()));
}

// The window merge as the boundary drives it: shape_for, holds/widened, copy_into, add_encoded.
static std::vector<std::uint8_t> window_union(const std::vector<std::vector<std::uint8_t>>& sketches) {
    std::vector<std::uint64_t> block;
    auto make = [&](const QuantileWindowShape& shape) {
        EXPECT_LE(shape.slots(), kQuantileWindowMaxSize);
        std::vector<std::uint64_t> b((QuantileWindow::bytes_for(shape) + 7) / 8);
        QuantileWindow::init(b.data(), shape);
        return b;
    };
    for (const auto& s : sketches) {
        const QuantileSketchSpan span = quantile_encoded_span(s.data(), s.size());
        if (block.empty()) {
            block = make(QuantileWindow::shape_for(span));
        } else if (!QuantileWindow(block.data()).holds(span)) {
            std::vector<std::uint64_t> grown = make(QuantileWindow(block.data()).widened(span));
            QuantileWindow(block.data()).copy_into(grown.data());
            block.swap(grown);
        }
        QuantileWindow(block.data()).add_encoded(s.data(), s.size());
    }
    const QuantileWindow w(block.data());
    std::vector<std::uint8_t> out(w.encoded_size());
    w.encode(out.data());
    return out;
}

TEST(Quantile, WindowUnionEqualsMergeByteForByte) {
    // Small sketches of durations, zeros and negative values (a resolution less a longer wait)
    // over a growing spread: the first one narrow, later ones below and above it, so both windows
    // widen on both sides.
    std::mt19937_64 rng(5);
    std::vector<std::vector<std::uint8_t>> parts;
    std::vector<double> all;
    for (int p = 0; p < 400; ++p) {
        std::lognormal_distribution<double> ln(4 + (p % 40) * 0.15, 0.5 + (p % 7) * 0.3);
        std::vector<double> values;
        for (int k = 0; k < 1 + p % 11; ++k) {
            const double v = ln(rng);
            values.push_back(p % 13 == 0 && k == 0 ? 0.0 : (p % 5 == 2 && k % 3 == 1) ? -v : v);
        }
        all.insert(all.end(), values.begin(), values.end());
        parts.push_back(sketch_of(values).encode());
    }
    EXPECT_EQ(window_union(parts), sketch_of(all).encode());
    // zeros only: no slots at all; negatives only
    EXPECT_EQ(window_union({sketch_of({0, 0}).encode(), sketch_of({0}).encode()}), sketch_of({0, 0, 0}).encode());
    EXPECT_EQ(window_union({sketch_of({-7, -700}).encode(), sketch_of({-70}).encode()}), sketch_of({-7, -700, -70}).encode());
}

TEST(Quantile, WindowSpanNamesWhatItCannotHold) {
    const std::vector<std::uint8_t> mixed = sketch_of({-5, 3, 0}).encode();
    const QuantileSketchSpan s = quantile_encoded_span(mixed.data(), mixed.size());
    EXPECT_FALSE(s.neg.empty);
    EXPECT_FALSE(s.pos.empty);
    EXPECT_EQ(s.buckets, 3u);
    // 1e-300 and 1e300 are ~70000 keys apart: wider than any window
    const std::vector<std::uint8_t> wide = sketch_of({1e-300, 1e300}).encode();
    EXPECT_GT(QuantileWindow::shape_for(quantile_encoded_span(wide.data(), wide.size())).slots(), kQuantileWindowMaxSize);
    // a block's buckets become the same sorted-array state
    const std::vector<std::uint8_t> one = sketch_of({-40, 0, 2, 2, 900}).encode();
    const QuantileWindowShape shape = QuantileWindow::shape_for(quantile_encoded_span(one.data(), one.size()));
    std::vector<std::uint64_t> block((QuantileWindow::bytes_for(shape) + 7) / 8);
    QuantileWindow::init(block.data(), shape);
    QuantileWindow(block.data()).add_encoded(one.data(), one.size());
    EXPECT_EQ(QuantileWindow(block.data()).bucket_count(), 4u);
    std::vector<std::uint64_t> state((QuantileView::bytes_for(4) + 7) / 8);
    QuantileWindow(block.data()).to_sparse(state.data(), 4);
    const QuantileView v(state.data());
    std::vector<std::uint8_t> enc(v.encoded_size());
    v.encode(enc.data());
    EXPECT_EQ(enc, one);
    // corrupt input is refused before anything is read into a window
    std::vector<std::uint8_t> bad = one;
    bad.back() ^= 0x7F;
    EXPECT_THROW(quantile_encoded_span(bad.data(), bad.size()), Error);
}

TEST(Quantile, EncodingRoundTripAndCompactness) {
    std::mt19937_64 rng(3);
    std::exponential_distribution<double> e(1.0 / 600);
    QuantileSketch s;
    for (int i = 0; i < 100000; ++i) s.add(e(rng));
    const std::vector<std::uint8_t> bytes = s.encode();
    const QuantileSketch d = QuantileSketch::decode(bytes);
    EXPECT_EQ(d.encode(), bytes);
    EXPECT_EQ(d.count(), 100000);
    for (double q : kQs) EXPECT_EQ(d.quantile(q), s.quantile(q));
    // A few bytes a bucket: 100k values of one distribution in well under 2 KB.
    EXPECT_LT(bytes.size(), 2048u);
    EXPECT_LT(bytes.size(), s.bucket_count() * 5u);
}

TEST(Quantile, CorruptEncodingsAreRefused) {
    const std::vector<std::uint8_t> good = sketch_of({1, 2, 3, 1000}).encode();
    auto refused = [](std::vector<std::uint8_t> bytes) {
        try {
            QuantileSketch::decode(bytes);
        } catch (const Error& e) {
            return e.kind() == ErrorKind::DataCorrupted && e.parameter() == "sketch";
        }
        return false;
    };
    EXPECT_FALSE(refused(good));
    EXPECT_TRUE(refused({}));
    std::vector<std::uint8_t> v = good;
    v[0] = 2;  // version
    EXPECT_TRUE(refused(v));
    v = good;
    v.push_back(0);  // trailing byte
    EXPECT_TRUE(refused(v));
    v = good;
    v.pop_back();  // truncated
    EXPECT_TRUE(refused(v));
    v = good;
    v[1] = 5;  // total does not match the counts
    EXPECT_TRUE(refused(v));
    // every single-byte change is either refused or decodes to a sketch that checks and re-encodes
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (int x : {0x00, 0x01, 0x7F, 0x80, 0xFF}) {
            v = good;
            v[i] = static_cast<std::uint8_t>(x);
            if (!refused(v)) {
                EXPECT_EQ(QuantileSketch::decode(v).encode(), v) << i << " " << x;
            }
        }
    }
    // keys out of order: two buckets with a zero delta
    const std::vector<std::uint8_t> dup = {1, 2, 2, 2, 1, 0, 1};
    EXPECT_TRUE(refused(dup));
}

TEST(Quantile, CorruptWorkingStatesAreRefused) {
    QuantileSketch s = sketch_of({1, 2, 3});
    const QuantileView v = s.view();
    const std::size_t size = QuantileView::bytes_for(v.header().capacity);
    std::vector<std::uint64_t> copy(size / 8 + 1);
    std::memcpy(copy.data(), &v.header(), size);
    EXPECT_NO_THROW(QuantileView::check(copy.data(), size));
    EXPECT_THROW(QuantileView::check(copy.data(), size - 1), Error);
    auto* h = reinterpret_cast<QuantileHeader*>(copy.data());
    h->count += 1;
    EXPECT_THROW(QuantileView::check(copy.data(), size), Error);
    h->count -= 1;
    auto* b = reinterpret_cast<QuantileBucket*>(h + 1);
    std::swap(b[0].key, b[1].key);
    EXPECT_THROW(QuantileView::check(copy.data(), size), Error);
    std::swap(b[0].key, b[1].key);
    h->magic = 0;
    EXPECT_THROW(QuantileView::check(copy.data(), size), Error);
}

TEST(Quantile, FullStateAsksToGrow) {
    std::vector<std::uint64_t> block(QuantileView::bytes_for(2) / 8);
    QuantileView::init(block.data(), 2);
    QuantileView v(block.data());
    EXPECT_TRUE(v.add(quantile_key(1)));
    EXPECT_TRUE(v.add(quantile_key(100)));
    EXPECT_TRUE(v.add(quantile_key(1)));     // an existing bucket needs no room
    EXPECT_FALSE(v.add(quantile_key(1e6)));  // a new one does: nothing changes
    EXPECT_EQ(v.count(), 3);
    std::vector<std::uint64_t> bigger(QuantileView::bytes_for(4) / 8);
    v.grow_into(bigger.data(), 4);
    QuantileView g(bigger.data());
    EXPECT_TRUE(g.add(quantile_key(1e6)));
    EXPECT_EQ(g.count(), 4);
    EXPECT_NO_THROW(QuantileView::check(bigger.data(), QuantileView::bytes_for(4)));
}
