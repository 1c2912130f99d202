#include "support_reports/repeats.hpp"

#include <algorithm>

namespace support_reports {

std::int64_t count_at_or_after(const std::int64_t* times, std::size_t n, std::int64_t start) noexcept {
    return static_cast<std::int64_t>(std::count_if(times, times + n, [start](std::int64_t t) { return t >= start; }));
}

std::int64_t count_excluded(const std::int64_t* prev, const std::int64_t* next, std::size_t n,
                            std::int64_t since, std::int64_t until) noexcept {
    std::int64_t left_out = 0;
    for (std::size_t i = 0; i < n; ++i) left_out += (prev[i] >= since || next[i] < until) ? 1 : 0;
    return left_out;
}

}  // namespace support_reports
