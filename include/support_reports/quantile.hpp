// A mergeable quantile sketch (DDSketch-style): values fall into logarithmic buckets whose bounds
// grow by a factor gamma = (1 + a) / (1 - a), so every bucket's representative value is within a
// relative error of a = kQuantileRelativeAccuracy of every value in it. Counts are exact integers,
// so merging is exact, associative and commutative: the sketch of a union of rows is the merge of
// the sketches of its parts, bucket for bucket, which is what lets rollup hours merge into days
// and months and still give the same bytes as the raw rows.
//
// Two forms:
//  * the working state (QuantileView): a flat block (Postgres stores it as a bytea) holding the
//    buckets as a sorted array with spare capacity; adding a value is a binary search and an
//    increment, and only a value in a new bucket moves memory. The caller grows it when it is full.
//  * the encoded sketch: the canonical compact serialisation (varints, key deltas), what the
//    aggregate returns and the rollup stores; the same buckets always encode to the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace support_reports {

// 0.99%: a bound of 1% with room for the rounding of log() at bucket edges.
constexpr double kQuantileRelativeAccuracy = 0.0099;
constexpr std::uint32_t kQuantileMagic = 0x53525131;  // "SRQ1"
constexpr std::uint8_t kQuantileEncodingVersion = 1;

// A value's bucket as one ordered key: 0 for zero (and magnitudes below the smallest normal
// double, 2.2e-308, which count as zero); kQuantileKeyBias + i for a positive value in
// (gamma^(i-1), gamma^i]; the negation of its magnitude's key for a negative value. Keys sort as
// their values do. Throws Error(InvalidParameter, "value") for NaN and infinities.
constexpr std::int32_t kQuantileKeyBias = 1 << 16;
std::int32_t quantile_key(double value);
// The representative value of a key's bucket (2 gamma^i / (gamma + 1), within the relative
// accuracy of every value in the bucket; clamped to the largest double).
double quantile_key_value(std::int32_t key) noexcept;
// Whether a key can come out of quantile_key (for checking states and encodings).
bool quantile_key_valid(std::int32_t key) noexcept;

struct QuantileBucket {
    std::int32_t key;
    std::int32_t reserved;
    std::int64_t count;
};

struct QuantileHeader {
    std::int32_t length_word;  // reserved for the container
    std::uint32_t magic;
    std::uint32_t capacity;    // buckets the block has room for
    std::uint32_t used;        // buckets in use, sorted by key, counts > 0
    std::int64_t count;        // values added: the sum of the counts
    // followed by QuantileBucket buckets[capacity]
};

// The most buckets a state can need: every key quantile_key can return.
constexpr std::uint32_t kQuantileMaxBuckets = 2 * 72000 + 1;

class QuantileView {
public:
    explicit QuantileView(void* state) noexcept : h_(static_cast<QuantileHeader*>(state)) {}
    static std::size_t bytes_for(std::uint32_t capacity) noexcept {
        return sizeof(QuantileHeader) + static_cast<std::size_t>(capacity) * sizeof(QuantileBucket);
    }
    // Writes an empty state with room for `capacity` buckets into `state` (bytes_for(capacity)
    // bytes), leaving its first 4 bytes (the container's length word) as they are.
    static void init(void* state, std::uint32_t capacity) noexcept;
    // Throws Error(DataCorrupted) unless `bytes` is a working state of this layout.
    static void check(const void* bytes, std::size_t size);

    const QuantileHeader& header() const noexcept { return *h_; }
    const QuantileBucket* buckets() const noexcept { return reinterpret_cast<const QuantileBucket*>(h_ + 1); }
    std::int64_t count() const noexcept { return h_->count; }

    // Counts one value of bucket `key`. Returns false, changing nothing, when the key is new and
    // the state is full: copy it into a larger one (grow_into) and add again.
    bool add(std::int32_t key) noexcept;
    // Copies this state into `to` (its length word untouched), an uninitialised block of bytes_for(capacity) bytes, capacity >= used.
    void grow_into(void* to, std::uint32_t capacity) const noexcept;
    // The buckets this state would use after merging `other` into it.
    std::uint32_t merged_bucket_count(const QuantileView& other) const noexcept;
    // Adds `other`'s counts into this state, whose capacity must be at least
    // merged_bucket_count(other). Throws Error(OutOfRange, "count") when a count would overflow.
    void merge(const QuantileView& other);

    // The q-quantile (0 <= q <= 1) the way percentile_cont interpolates: between the values of
    // ranks floor(q (n - 1)) and ceil(q (n - 1)), each estimated by its bucket's representative.
    // NaN when the state is empty. Throws Error(InvalidParameter, "q") for q outside [0, 1].
    double quantile(double q) const;

    // The canonical compact encoding: its size, and the bytes written into `out` (encoded_size() bytes).
    std::size_t encoded_size() const noexcept;
    void encode(std::uint8_t* out) const noexcept;

private:
    QuantileBucket* mutable_buckets() const noexcept { return reinterpret_cast<QuantileBucket*>(h_ + 1); }
    QuantileHeader* h_;
};

// Checks an encoded sketch (version, canonical key order, counts, total, no trailing bytes) and
// returns how many buckets it holds. Throws Error(DataCorrupted, "sketch") otherwise.
std::uint32_t quantile_encoded_buckets(const std::uint8_t* bytes, std::size_t size);
// Decodes a checked encoded sketch into `state`, an uninitialised block with room for
// quantile_encoded_buckets() buckets.
void quantile_decode(const std::uint8_t* bytes, std::size_t size, void* state, std::uint32_t capacity);

// ---- Merging many sketches: a dense window ------------------------------------------------------
// A report merges thousands of small rollup sketches per group. Into a sorted array (QuantileView)
// each merge costs the whole array; into windows of counts indexed by key it costs the merged
// sketch's own buckets. A window block holds the zero key's count, the positive keys k in
// [pos_lo, pos_lo + pos_size) and the negative keys -k with k in [neg_lo, neg_lo + neg_size). A
// sketch that would stretch the block past kQuantileWindowMaxSize slots is merged into a
// sorted-array state instead (to_sparse converts). Either way the encoding at the end is the
// canonical one: the same bytes as quantile_sketch_merge.
constexpr std::uint32_t kQuantileWindowMagic = 0x53525157;  // "SRQW"
constexpr std::uint32_t kQuantileWindowMaxSize = 16384;       // 128 KiB of counts

struct QuantileWindowHeader {
    std::int32_t length_word;  // reserved for the container
    std::uint32_t magic;
    std::int32_t pos_lo;       // the key of the first positive slot
    std::uint32_t pos_size;
    std::int32_t neg_lo;       // the magnitude of the first negative slot (key -neg_lo)
    std::uint32_t neg_size;
    std::int64_t total;        // values: the zeros and every slot's count
    std::int64_t zeros;        // values of key 0
    // followed by std::int64_t counts[pos_size + neg_size]: the positive slots, then the negative
};

// The magnitudes [lo, hi] of one sign's keys (none: empty).
struct QuantileKeyRange {
    bool empty = true;
    std::int32_t lo = 0;
    std::int32_t hi = 0;
};

// What an encoded sketch holds, read while checking it as quantile_encoded_buckets does.
struct QuantileSketchSpan {
    std::uint32_t buckets = 0;
    QuantileKeyRange pos;
    QuantileKeyRange neg;  // magnitudes of the negative keys
};
QuantileSketchSpan quantile_encoded_span(const std::uint8_t* bytes, std::size_t size);

// The slots a window block over these ranges takes (each range padded on both sides).
struct QuantileWindowShape {
    std::int32_t pos_lo = 1;
    std::uint32_t pos_size = 0;
    std::int32_t neg_lo = 1;
    std::uint32_t neg_size = 0;
    std::uint64_t slots() const noexcept { return std::uint64_t{pos_size} + neg_size; }
};

class QuantileWindow {
public:
    explicit QuantileWindow(void* block) noexcept : h_(static_cast<QuantileWindowHeader*>(block)) {}
    static std::size_t bytes_for(const QuantileWindowShape& shape) noexcept {
        return sizeof(QuantileWindowHeader) + static_cast<std::size_t>(shape.slots()) * sizeof(std::int64_t);
    }
    // Writes an empty block of this shape (bytes_for(shape) bytes), its length word untouched.
    static void init(void* block, const QuantileWindowShape& shape) noexcept;
    // The block a sketch of `span` starts: its keys with room to grow (slots() above
    // kQuantileWindowMaxSize: too wide for a window).
    static QuantileWindowShape shape_for(const QuantileSketchSpan& span) noexcept;

    const QuantileWindowHeader& header() const noexcept { return *h_; }
    // Whether the keys of `span` fit; if not, the shape that holds them and these (about twice
    // what it must hold, so n merges copy O(n) slots in all).
    bool holds(const QuantileSketchSpan& span) const noexcept;
    QuantileWindowShape widened(const QuantileSketchSpan& span) const noexcept;
    // Copies the counts into `to`, an empty block (init) whose shape holds all of them.
    void copy_into(void* to) const noexcept;
    // Adds a checked encoded sketch whose span this block holds. Throws Error(OutOfRange, "count")
    // when the total would overflow.
    void add_encoded(const std::uint8_t* bytes, std::size_t size);
    // Keys with a count (the zero key included).
    std::uint32_t bucket_count() const noexcept;
    // Writes the same buckets as a sorted-array state into `state` (QuantileView::bytes_for(capacity)
    // bytes, capacity >= bucket_count()).
    void to_sparse(void* state, std::uint32_t capacity) const noexcept;
    std::size_t encoded_size() const noexcept;
    void encode(std::uint8_t* out) const noexcept;

private:
    // Calls f(key, count) for every key with a count, in key order.
    template <class F>
    void for_each(F f) const;
    std::int64_t* pos() const noexcept { return reinterpret_cast<std::int64_t*>(h_ + 1); }
    std::int64_t* neg() const noexcept { return pos() + h_->pos_size; }
    QuantileWindowHeader* h_;
};

// An owning sketch for C++ callers (tests, tools): a working state that grows by itself.
class QuantileSketch {
public:
    QuantileSketch();
    // Decodes (and checks) an encoded sketch.
    static QuantileSketch decode(const std::vector<std::uint8_t>& bytes);
    void add(double value);
    void merge(const QuantileSketch& other);
    double quantile(double q) const { return view().quantile(q); }
    std::int64_t count() const { return view().count(); }
    std::uint32_t bucket_count() const { return view().header().used; }
    std::vector<std::uint8_t> encode() const;
    QuantileView view() const { return QuantileView(const_cast<std::uint64_t*>(block_.data())); }

private:
    void reserve(std::uint32_t capacity);
    std::vector<std::uint64_t> block_;  // 8-byte aligned storage of the working state
};

}  // namespace support_reports

#include "support_reports/core_only.hpp"
