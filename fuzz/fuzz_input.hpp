// A cursor over libFuzzer's bytes: typed reads that return zeros once the input runs out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace fuzz {

class Input {
public:
    Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    template <class T>
    T take() {
        T v{};
        const std::size_t n = sizeof(T) < size_ - pos_ ? sizeof(T) : size_ - pos_;
        std::memcpy(&v, data_ + pos_, n);
        pos_ += n;
        return v;
    }
    std::string take_string(std::size_t max) {
        const std::size_t n = take<std::uint8_t>() % (max + 1);
        const std::size_t k = n < size_ - pos_ ? n : size_ - pos_;
        std::string s(reinterpret_cast<const char*>(data_ + pos_), k);
        pos_ += k;
        return s;
    }
    std::size_t left() const { return size_ - pos_; }
    const std::uint8_t* rest() const { return data_ + pos_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

// Postgres' timestamp range in microseconds since 2000-01-01 (4713 BC .. 294276 AD).
constexpr std::int64_t kMinTimestamp = -211813488000000000LL;
constexpr std::int64_t kMaxTimestamp = 9223371331200000000LL;

inline std::int64_t clamp_timestamp(std::int64_t v) {
    if (v < kMinTimestamp) return kMinTimestamp + static_cast<std::int64_t>(static_cast<std::uint64_t>(v) % 1000000007ULL);
    if (v >= kMaxTimestamp) return kMaxTimestamp - 1 - static_cast<std::int64_t>(static_cast<std::uint64_t>(v) % 1000000007ULL);
    return v;
}

// A finding: stops the run with a message (libFuzzer saves the input as crash-*).
[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
}

}  // namespace fuzz
