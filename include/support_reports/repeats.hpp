// Counting over the rollup's time arrays, which make distinct-conversation metrics additive (see
// sql/ext/32_metrics.sql). Times are Postgres timestamps as they are stored: microseconds, with
// -infinity and infinity as the smallest and largest int64, so they compare as the timestamps do.
#pragma once

#include <cstddef>
#include <cstdint>

namespace support_reports {

// How many of the times are at or after start: the rows of a group [start, end) whose previous
// row (same conversation and key) lies in the group too. Any order (a day's times are its hours'
// concatenated).
std::int64_t count_at_or_after(const std::int64_t* times, std::size_t n, std::int64_t start) noexcept;

// How many pairs (prev[i], next[i]) have prev[i] >= since or next[i] < until: the rows left out
// of a report over [since, until) because the excluding metric has a row of their conversation
// in it, at or before them (prev) or after them (next).
std::int64_t count_excluded(const std::int64_t* prev, const std::int64_t* next, std::size_t n,
                            std::int64_t since, std::int64_t until) noexcept;

}  // namespace support_reports
