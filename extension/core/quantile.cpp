#include "support_reports/quantile.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <string>

#include "support_reports/aggregates.hpp"  // kMaxStateCount
#include "support_reports/error.hpp"

namespace support_reports {

namespace {

const double kGamma = (1 + kQuantileRelativeAccuracy) / (1 - kQuantileRelativeAccuracy);
const double kLogGamma = std::log(kGamma);
// The bucket index range of positive doubles from the smallest normal to the largest.
const std::int32_t kMinIndex = static_cast<std::int32_t>(std::ceil(std::log(DBL_MIN) / kLogGamma));
const std::int32_t kMaxIndex = static_cast<std::int32_t>(std::ceil(std::log(DBL_MAX) / kLogGamma));

[[noreturn]] void corrupted_state() {
    throw Error(ErrorKind::DataCorrupted, "state", "aggregate state is not a valid quantile_sketch_agg state",
                "States are produced by the support_reports aggregates of the same version.");
}

[[noreturn]] void corrupted_sketch(const char* why) {
    throw Error(ErrorKind::DataCorrupted, "sketch", std::string("invalid sketch: ") + why,
                "Sketches are produced by reports.quantile_sketch_agg and reports.quantile_sketch_merge.");
}

std::size_t varint_size(std::uint64_t v) noexcept {
    std::size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

std::uint8_t* put_varint(std::uint8_t* out, std::uint64_t v) noexcept {
    while (v >= 0x80) {
        *out++ = static_cast<std::uint8_t>(v | 0x80);
        v >>= 7;
    }
    *out++ = static_cast<std::uint8_t>(v);
    return out;
}

std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Reads the encoding: version, total, bucket count, then (key delta, count) pairs.
class Reader {
public:
    Reader(const std::uint8_t* bytes, std::size_t size) noexcept : p_(bytes), end_(bytes + size) {}
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p_ == end_) corrupted_sketch("truncated");
            const std::uint8_t b = *p_++;
            if (shift == 63 && b > 1) corrupted_sketch("varint overflows 64 bits");
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                // canonical: no redundant trailing zero groups
                if (b == 0 && shift > 0) corrupted_sketch("non-canonical varint");
                return v;
            }
        }
        corrupted_sketch("varint too long");
    }
    std::uint8_t byte() {
        if (p_ == end_) corrupted_sketch("truncated");
        return *p_++;
    }
    bool done() const noexcept { return p_ == end_; }

private:
    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

struct EncodedHeader {
    std::int64_t total;
    std::uint32_t buckets;
};

EncodedHeader read_header(Reader& r) {
    if (r.byte() != kQuantileEncodingVersion) corrupted_sketch("unknown version");
    const std::uint64_t total = r.varint();
    const std::uint64_t buckets = r.varint();
    if (total > static_cast<std::uint64_t>(kMaxStateCount)) corrupted_sketch("count out of range");
    if (buckets > kQuantileMaxBuckets) corrupted_sketch("too many buckets");
    return {static_cast<std::int64_t>(total), static_cast<std::uint32_t>(buckets)};
}

}  // namespace

std::int32_t quantile_key(double value) {
    if (!std::isfinite(value)) invalid_parameter("value", "invalid value: a quantile sketch takes finite values only");
    const double magnitude = std::fabs(value);
    if (magnitude < DBL_MIN) return 0;
    std::int32_t index = static_cast<std::int32_t>(std::ceil(std::log(magnitude) / kLogGamma));
    // log() rounding can put a value just past its bucket's edge; the representative is still
    // within the accuracy (the bound leaves room), and the index stays in range.
    if (index < kMinIndex) index = kMinIndex;
    if (index > kMaxIndex) index = kMaxIndex;
    const std::int32_t key = kQuantileKeyBias + index;
    return value < 0 ? -key : key;
}

double quantile_key_value(std::int32_t key) noexcept {
    if (key == 0) return 0;
    const std::int32_t index = (key < 0 ? -key : key) - kQuantileKeyBias;
    double v = std::exp(index * kLogGamma) * (2 / (kGamma + 1));
    if (!(v <= DBL_MAX)) v = DBL_MAX;
    return key < 0 ? -v : v;
}

bool quantile_key_valid(std::int32_t key) noexcept {
    if (key == 0) return true;
    if (key == INT32_MIN) return false;
    const std::int32_t index = (key < 0 ? -key : key) - kQuantileKeyBias;
    return index >= kMinIndex && index <= kMaxIndex;
}

void QuantileView::init(void* state, std::uint32_t capacity) noexcept {
    auto* h = static_cast<QuantileHeader*>(state);
    // everything but the container's length word
    std::memset(reinterpret_cast<char*>(h) + sizeof h->length_word, 0, bytes_for(capacity) - sizeof h->length_word);
    h->magic = kQuantileMagic;
    h->capacity = capacity;
}

void QuantileView::check(const void* bytes, std::size_t size) {
    if (size < sizeof(QuantileHeader)) corrupted_state();
    QuantileHeader h;
    std::memcpy(&h, bytes, sizeof h);
    if (h.magic != kQuantileMagic || h.capacity > kQuantileMaxBuckets || h.used > h.capacity ||
        size != bytes_for(h.capacity) || h.count < 0 || h.count > kMaxStateCount)
        corrupted_state();
    const auto* b = reinterpret_cast<const QuantileBucket*>(static_cast<const QuantileHeader*>(bytes) + 1);
    std::int64_t total = 0;
    for (std::uint32_t i = 0; i < h.used; ++i) {
        if (!quantile_key_valid(b[i].key) || (i > 0 && b[i].key <= b[i - 1].key) || b[i].count <= 0 ||
            b[i].count > kMaxStateCount)
            corrupted_state();
        if (__builtin_add_overflow(total, b[i].count, &total) || total > kMaxStateCount) corrupted_state();
    }
    if (total != h.count) corrupted_state();
}

bool QuantileView::add(std::int32_t key) noexcept {
    QuantileBucket* b = mutable_buckets();
    std::uint32_t lo = 0;
    std::uint32_t hi = h_->used;
    while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        if (b[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    if (lo < h_->used && b[lo].key == key) {
        ++b[lo].count;
    } else {
        if (h_->used == h_->capacity) return false;
        std::memmove(b + lo + 1, b + lo, (h_->used - lo) * sizeof(QuantileBucket));
        b[lo] = QuantileBucket{key, 0, 1};
        ++h_->used;
    }
    ++h_->count;
    return true;
}

void QuantileView::grow_into(void* to, std::uint32_t capacity) const noexcept {
    init(to, capacity);
    auto* h = static_cast<QuantileHeader*>(to);
    h->used = h_->used;
    h->count = h_->count;
    std::memcpy(h + 1, buckets(), h_->used * sizeof(QuantileBucket));
}

namespace {

// A sketch merged into a much larger state (a rollup day's sketch into a report's running total)
// mostly names keys the state already has: then each key is found by a search that starts where
// the previous one ended, O(m log n) instead of a walk over all n buckets of the state.
bool is_small_beside(std::uint32_t small, std::uint32_t large) noexcept { return small * 8u < large; }

// The first bucket in [from, end) whose key is not below `key`.
const QuantileBucket* seek(const QuantileBucket* from, const QuantileBucket* end, std::int32_t key) noexcept {
    return std::lower_bound(from, end, key, [](const QuantileBucket& b, std::int32_t k) { return b.key < k; });
}

}  // namespace

std::uint32_t QuantileView::merged_bucket_count(const QuantileView& other) const noexcept {
    const QuantileBucket* a = buckets();
    const QuantileBucket* b = other.buckets();
    if (is_small_beside(other.h_->used, h_->used)) {
        std::uint32_t missing = 0;
        const QuantileBucket* at = a;
        for (std::uint32_t j = 0; j < other.h_->used; ++j) {
            at = seek(at, a + h_->used, b[j].key);
            if (at == a + h_->used || at->key != b[j].key) ++missing;
        }
        return h_->used + missing;
    }
    std::uint32_t i = 0, j = 0, n = 0;
    while (i < h_->used && j < other.h_->used) {
        if (a[i].key < b[j].key) ++i;
        else if (b[j].key < a[i].key) ++j;
        else ++i, ++j;
        ++n;
    }
    return n + (h_->used - i) + (other.h_->used - j);
}

void QuantileView::merge(const QuantileView& other) {
    const std::uint32_t total = merged_bucket_count(other);
    std::int64_t count;
    if (__builtin_add_overflow(h_->count, other.h_->count, &count) || count > kMaxStateCount)
        throw Error(ErrorKind::OutOfRange, "count", "quantile_sketch_merge: a combined count overflows bigint");
    QuantileBucket* a = mutable_buckets();
    const QuantileBucket* b = other.buckets();
    if (total == h_->used) {
        // Every key of `other` is here already: add its counts where they are.
        QuantileBucket* at = a;
        for (std::uint32_t j = 0; j < other.h_->used; ++j) {
            at = const_cast<QuantileBucket*>(seek(at, a + h_->used, b[j].key));
            at->count += b[j].count;  // both <= count <= kMaxStateCount: no overflow
        }
        h_->count = count;
        return;
    }
    // In place from the back: the write position never overtakes the unread part of this state.
    std::int64_t i = static_cast<std::int64_t>(h_->used) - 1;
    std::int64_t j = static_cast<std::int64_t>(other.h_->used) - 1;
    std::int64_t w = static_cast<std::int64_t>(total) - 1;
    while (j >= 0) {
        if (i >= 0 && a[i].key > b[j].key) {
            a[w--] = a[i--];
        } else if (i >= 0 && a[i].key == b[j].key) {
            a[w] = a[i--];
            a[w--].count += b[j--].count;  // both <= count <= kMaxStateCount: no overflow
        } else {
            a[w--] = b[j--];
        }
    }
    h_->used = total;
    h_->count = count;
}

double QuantileView::quantile(double q) const {
    if (!(q >= 0 && q <= 1)) invalid_parameter("q", "invalid q: must be between 0 and 1");
    if (h_->count == 0) return NAN;
    const double rank = q * static_cast<double>(h_->count - 1);
    const auto lo_rank = static_cast<std::int64_t>(std::floor(rank));
    const auto hi_rank = static_cast<std::int64_t>(std::ceil(rank));
    const QuantileBucket* b = buckets();
    double lo = 0, hi = 0;
    std::int64_t seen = 0;
    bool have_lo = false;
    for (std::uint32_t i = 0; i < h_->used; ++i) {
        seen += b[i].count;  // ranks [seen - count, seen) are in this bucket
        if (!have_lo && lo_rank < seen) {
            lo = quantile_key_value(b[i].key);
            have_lo = true;
        }
        if (hi_rank < seen) {
            hi = quantile_key_value(b[i].key);
            break;
        }
    }
    return lo + (hi - lo) * (rank - static_cast<double>(lo_rank));
}

std::size_t QuantileView::encoded_size() const noexcept {
    std::size_t n = 1 + varint_size(static_cast<std::uint64_t>(h_->count)) + varint_size(h_->used);
    std::int32_t prev = 0;
    for (std::uint32_t i = 0; i < h_->used; ++i) {
        const QuantileBucket& b = buckets()[i];
        n += varint_size(zigzag(static_cast<std::int64_t>(b.key) - prev)) +
             varint_size(static_cast<std::uint64_t>(b.count));
        prev = b.key;
    }
    return n;
}

void QuantileView::encode(std::uint8_t* out) const noexcept {
    *out++ = kQuantileEncodingVersion;
    out = put_varint(out, static_cast<std::uint64_t>(h_->count));
    out = put_varint(out, h_->used);
    std::int32_t prev = 0;
    for (std::uint32_t i = 0; i < h_->used; ++i) {
        const QuantileBucket& b = buckets()[i];
        out = put_varint(out, zigzag(static_cast<std::int64_t>(b.key) - prev));
        out = put_varint(out, static_cast<std::uint64_t>(b.count));
        prev = b.key;
    }
}

std::uint32_t quantile_encoded_buckets(const std::uint8_t* bytes, std::size_t size) {
    Reader r(bytes, size);
    const EncodedHeader h = read_header(r);
    std::int64_t prev = 0;
    std::int64_t total = 0;
    for (std::uint32_t i = 0; i < h.buckets; ++i) {
        const std::int64_t delta = unzigzag(r.varint());
        const std::uint64_t count = r.varint();
        if (i > 0 && delta <= 0) corrupted_sketch("keys out of order");
        if (delta < INT32_MIN || delta > INT32_MAX) corrupted_sketch("key out of range");
        const std::int64_t key = prev + delta;
        if (key < INT32_MIN || key > INT32_MAX || !quantile_key_valid(static_cast<std::int32_t>(key)))
            corrupted_sketch("key out of range");
        if (count == 0 || count > static_cast<std::uint64_t>(kMaxStateCount)) corrupted_sketch("count out of range");
        total += static_cast<std::int64_t>(count);
        if (total > kMaxStateCount) corrupted_sketch("count out of range");
        prev = key;
    }
    if (total != h.total) corrupted_sketch("counts do not add up to the total");
    if (!r.done()) corrupted_sketch("trailing bytes");
    return h.buckets;
}

void quantile_decode(const std::uint8_t* bytes, std::size_t size, void* state, std::uint32_t capacity) {
    Reader r(bytes, size);
    const EncodedHeader h = read_header(r);
    if (h.buckets > capacity) corrupted_sketch("more buckets than room");
    QuantileView::init(state, capacity);
    auto* hdr = static_cast<QuantileHeader*>(state);
    auto* b = reinterpret_cast<QuantileBucket*>(hdr + 1);
    std::int64_t prev = 0;
    for (std::uint32_t i = 0; i < h.buckets; ++i) {
        prev += unzigzag(r.varint());
        b[i] = QuantileBucket{static_cast<std::int32_t>(prev), 0, static_cast<std::int64_t>(r.varint())};
    }
    hdr->used = h.buckets;
    hdr->count = h.total;
}

// ---- QuantileWindow ----------------------------------------------------------------------------

QuantileSketchSpan quantile_encoded_span(const std::uint8_t* bytes, std::size_t size) {
    QuantileSketchSpan span;
    span.buckets = quantile_encoded_buckets(bytes, size);  // checks it whole first
    Reader r(bytes, size);
    read_header(r);
    std::int64_t key = 0;
    for (std::uint32_t i = 0; i < span.buckets; ++i) {
        key += unzigzag(r.varint());
        r.varint();
        if (key == 0) continue;
        QuantileKeyRange& range = key > 0 ? span.pos : span.neg;
        const auto magnitude = static_cast<std::int32_t>(key > 0 ? key : -key);
        if (range.empty) range = QuantileKeyRange{false, magnitude, magnitude};
        range.lo = std::min(range.lo, magnitude);
        range.hi = std::max(range.hi, magnitude);
    }
    return span;
}

namespace {

// A range [lo, hi] of magnitudes padded by `slack` on both sides (magnitudes stay >= 1).
void pad(const QuantileKeyRange& range, std::int64_t slack, std::int32_t* lo, std::uint32_t* size) noexcept {
    if (range.empty) {
        *lo = 1;
        *size = 0;
        return;
    }
    const std::int64_t from = std::max<std::int64_t>(range.lo - slack, 1);
    const std::int64_t to = std::min<std::int64_t>(std::int64_t{range.hi} + slack, INT32_MAX);
    *lo = static_cast<std::int32_t>(from);
    // a range too wide for any window says so through its size
    *size = static_cast<std::uint32_t>(std::min<std::int64_t>(to - from + 1, std::int64_t{kQuantileWindowMaxSize} + 1));
}

// The union of a block's range (lo, size) and a sketch's.
QuantileKeyRange joined(std::int32_t lo, std::uint32_t size, const QuantileKeyRange& r) noexcept {
    if (size == 0) return r;
    const auto hi = static_cast<std::int32_t>(std::int64_t{lo} + size - 1);
    if (r.empty) return QuantileKeyRange{false, lo, hi};
    return QuantileKeyRange{false, std::min(lo, r.lo), std::max(hi, r.hi)};
}

bool within(std::int32_t lo, std::uint32_t size, const QuantileKeyRange& r) noexcept {
    return r.empty || (r.lo >= lo && std::int64_t{r.hi} < std::int64_t{lo} + size);
}

}  // namespace

void QuantileWindow::init(void* block, const QuantileWindowShape& shape) noexcept {
    auto* h = static_cast<QuantileWindowHeader*>(block);
    std::memset(reinterpret_cast<char*>(h) + sizeof h->length_word, 0, bytes_for(shape) - sizeof h->length_word);
    h->magic = kQuantileWindowMagic;
    h->pos_lo = shape.pos_lo;
    h->pos_size = shape.pos_size;
    h->neg_lo = shape.neg_lo;
    h->neg_size = shape.neg_size;
}

QuantileWindowShape QuantileWindow::shape_for(const QuantileSketchSpan& span) noexcept {
    QuantileWindowShape shape;
    pad(span.pos, 16, &shape.pos_lo, &shape.pos_size);
    pad(span.neg, 16, &shape.neg_lo, &shape.neg_size);
    return shape;
}

bool QuantileWindow::holds(const QuantileSketchSpan& span) const noexcept {
    return within(h_->pos_lo, h_->pos_size, span.pos) && within(h_->neg_lo, h_->neg_size, span.neg);
}

QuantileWindowShape QuantileWindow::widened(const QuantileSketchSpan& span) const noexcept {
    QuantileWindowShape shape;
    const QuantileKeyRange p = joined(h_->pos_lo, h_->pos_size, span.pos);
    const QuantileKeyRange n = joined(h_->neg_lo, h_->neg_size, span.neg);
    pad(p, std::max<std::int64_t>((std::int64_t{p.hi} - p.lo + 1) / 2, 16), &shape.pos_lo, &shape.pos_size);
    pad(n, std::max<std::int64_t>((std::int64_t{n.hi} - n.lo + 1) / 2, 16), &shape.neg_lo, &shape.neg_size);
    return shape;
}

void QuantileWindow::copy_into(void* to) const noexcept {
    QuantileWindow target(to);
    target.h_->total = h_->total;
    target.h_->zeros = h_->zeros;
    if (h_->pos_size > 0)
        std::memcpy(target.pos() + (h_->pos_lo - target.h_->pos_lo), pos(), h_->pos_size * sizeof(std::int64_t));
    if (h_->neg_size > 0)
        std::memcpy(target.neg() + (h_->neg_lo - target.h_->neg_lo), neg(), h_->neg_size * sizeof(std::int64_t));
}

void QuantileWindow::add_encoded(const std::uint8_t* bytes, std::size_t size) {
    Reader r(bytes, size);
    const EncodedHeader eh = read_header(r);
    std::int64_t total;
    if (__builtin_add_overflow(h_->total, eh.total, &total) || total > kMaxStateCount)
        throw Error(ErrorKind::OutOfRange, "count", "quantile_sketch_merge: a combined count overflows bigint");
    std::int64_t key = 0;
    for (std::uint32_t i = 0; i < eh.buckets; ++i) {
        key += unzigzag(r.varint());
        const auto n = static_cast<std::int64_t>(r.varint());
        // checked, and held (see holds); each count <= total: no overflow
        if (key == 0) h_->zeros += n;
        else if (key > 0) pos()[key - h_->pos_lo] += n;
        else neg()[-key - h_->neg_lo] += n;
    }
    h_->total = total;
}

template <class F>
void QuantileWindow::for_each(F f) const {
    for (std::uint32_t i = h_->neg_size; i-- > 0;)  // the most negative key first
        if (neg()[i] > 0) f(-(std::int64_t{h_->neg_lo} + i), neg()[i]);
    if (h_->zeros > 0) f(0, h_->zeros);
    for (std::uint32_t i = 0; i < h_->pos_size; ++i)
        if (pos()[i] > 0) f(std::int64_t{h_->pos_lo} + i, pos()[i]);
}

std::uint32_t QuantileWindow::bucket_count() const noexcept {
    std::uint32_t n = 0;
    for_each([&](std::int64_t, std::int64_t) { ++n; });
    return n;
}

void QuantileWindow::to_sparse(void* state, std::uint32_t capacity) const noexcept {
    QuantileView::init(state, capacity);
    auto* h = static_cast<QuantileHeader*>(state);
    auto* b = reinterpret_cast<QuantileBucket*>(h + 1);
    std::uint32_t used = 0;
    for_each([&](std::int64_t key, std::int64_t count) { b[used++] = QuantileBucket{static_cast<std::int32_t>(key), 0, count}; });
    h->used = used;
    h->count = h_->total;
}

std::size_t QuantileWindow::encoded_size() const noexcept {
    std::size_t n = 1 + varint_size(static_cast<std::uint64_t>(h_->total)) + varint_size(bucket_count());
    std::int64_t prev = 0;
    for_each([&](std::int64_t key, std::int64_t count) {
        n += varint_size(zigzag(key - prev)) + varint_size(static_cast<std::uint64_t>(count));
        prev = key;
    });
    return n;
}

void QuantileWindow::encode(std::uint8_t* out) const noexcept {
    *out++ = kQuantileEncodingVersion;
    out = put_varint(out, static_cast<std::uint64_t>(h_->total));
    out = put_varint(out, bucket_count());
    std::int64_t prev = 0;
    for_each([&](std::int64_t key, std::int64_t count) {
        out = put_varint(out, zigzag(key - prev));
        out = put_varint(out, static_cast<std::uint64_t>(count));
        prev = key;
    });
}

// ---- QuantileSketch ----------------------------------------------------------------------------

QuantileSketch::QuantileSketch() { reserve(8); }

void QuantileSketch::reserve(std::uint32_t capacity) {
    std::vector<std::uint64_t> block((QuantileView::bytes_for(capacity) + 7) / 8);
    if (block_.empty()) QuantileView::init(block.data(), capacity);
    else view().grow_into(block.data(), capacity);
    block_.swap(block);
}

QuantileSketch QuantileSketch::decode(const std::vector<std::uint8_t>& bytes) {
    const std::uint32_t n = quantile_encoded_buckets(bytes.data(), bytes.size());
    QuantileSketch s;
    s.block_.assign((QuantileView::bytes_for(n) + 7) / 8, 0);
    quantile_decode(bytes.data(), bytes.size(), s.block_.data(), n);
    return s;
}

void QuantileSketch::add(double value) {
    const std::int32_t key = quantile_key(value);
    if (!view().add(key)) {
        reserve(view().header().capacity * 2);
        view().add(key);
    }
}

void QuantileSketch::merge(const QuantileSketch& other) {
    const std::uint32_t n = view().merged_bucket_count(other.view());
    if (n > view().header().capacity) reserve(n);
    view().merge(other.view());
}

std::vector<std::uint8_t> QuantileSketch::encode() const {
    std::vector<std::uint8_t> out(view().encoded_size());
    view().encode(out.data());
    return out;
}

}  // namespace support_reports
