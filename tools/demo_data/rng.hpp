// Deterministic random numbers for the demo-data generator.
//
// Output must be byte-identical for a given seed on every platform and standard library, so
// nothing here uses <random> distributions (their algorithms are unspecified and differ between
// libstdc++ and libc++ versions) or floating point: every draw is integer arithmetic on top of
// xoshiro256** seeded through splitmix64.
#pragma once

#include <cstddef>
#include <cstdint>

namespace demo {

inline uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(uint64_t seed) {
        uint64_t x = seed;
        for (auto& w : s_) w = splitmix64(x);
    }

    // An independent stream per (seed, a, b): lets the generator give every account and every
    // purpose (setup, pilot run, real run) its own stream, so changing how many draws one part
    // makes never shifts the randomness of another.
    static Rng derive(uint64_t seed, uint64_t a, uint64_t b) {
        uint64_t x = seed;
        uint64_t h = splitmix64(x);
        x = h ^ (a * 0xd1b54a32d192ed03ULL);
        h = splitmix64(x);
        x = h ^ (b * 0x8cb92ba72f3d8dd7ULL);
        return Rng(splitmix64(x));
    }

    uint64_t next() {  // xoshiro256**
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n), unbiased (Lemire's multiply-and-reject). n == 0 yields 0.
    uint64_t below(uint64_t n) {
        if (n == 0) return 0;
        unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
        uint64_t low = static_cast<uint64_t>(m);
        if (low < n) {
            const uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                m = static_cast<unsigned __int128>(next()) * n;
                low = static_cast<uint64_t>(m);
            }
        }
        return static_cast<uint64_t>(m >> 64);
    }

    // Uniform in [lo, hi); returns lo when the range is empty.
    int64_t between(int64_t lo, int64_t hi) {
        if (hi <= lo) return lo;
        return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo)));
    }

    bool permille(int p) { return below(1000) < static_cast<uint64_t>(p < 0 ? 0 : p); }

    // Index drawn with the given integer weights.
    template <size_t N>
    size_t weighted(const int (&w)[N]) {
        return weighted(w, N);
    }
    size_t weighted(const int* w, size_t n) {
        uint64_t total = 0;
        for (size_t i = 0; i < n; ++i) total += static_cast<uint64_t>(w[i]);
        uint64_t r = below(total);
        for (size_t i = 0; i < n; ++i) {
            if (r < static_cast<uint64_t>(w[i])) return i;
            r -= static_cast<uint64_t>(w[i]);
        }
        return n - 1;
    }

    template <size_t N>
    const char* pick(const char* const (&items)[N]) {
        return items[below(N)];
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
};

// Durations in microseconds: every timestamp in the generator is int64 microseconds since the
// Unix epoch (UTC), the resolution of a PostgreSQL timestamp.
constexpr int64_t kSec = 1000000;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;

// A heavy-tailed duration as a mixture of uniform bands: pick a band by weight, then a uniform
// point inside it. Shapes like "mostly minutes, sometimes days" without calling exp/log, whose
// last-bit results are not guaranteed identical across libm versions.
struct Band {
    int64_t lo;
    int64_t hi;
    int weight;
};

template <size_t N>
int64_t sample(Rng& rng, const Band (&bands)[N]) {
    int w[N];
    for (size_t i = 0; i < N; ++i) w[i] = bands[i].weight;
    const Band& b = bands[rng.weighted(w, N)];
    return rng.between(b.lo, b.hi);
}

}  // namespace demo
