#include "support_reports/repeats.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace sr = support_reports;

namespace {
constexpr std::int64_t kMinusInfinity = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInfinity = std::numeric_limits<std::int64_t>::max();
}  // namespace

TEST(Repeats, CountsTimesAtOrAfterTheStartSortedOrNot) {
    const std::vector<std::int64_t> sorted{10, 20, 20, 30};
    EXPECT_EQ(sr::count_at_or_after(sorted.data(), sorted.size(), 20), 3);  // the start itself counts
    EXPECT_EQ(sr::count_at_or_after(sorted.data(), sorted.size(), 21), 1);
    EXPECT_EQ(sr::count_at_or_after(sorted.data(), sorted.size(), 31), 0);
    EXPECT_EQ(sr::count_at_or_after(sorted.data(), sorted.size(), kMinusInfinity), 4);
    const std::vector<std::int64_t> unsorted{30, 10, 20, 20};
    EXPECT_EQ(sr::count_at_or_after(unsorted.data(), unsorted.size(), 20), 3);
    EXPECT_EQ(sr::count_at_or_after(unsorted.data(), unsorted.size(), 11), 3);
    EXPECT_EQ(sr::count_at_or_after(nullptr, 0, 0), 0);
}

TEST(Repeats, ExcludesPairsWithARowInTheRange) {
    // [100, 200): an excluding row before it only (50, inf) or on both sides (40, 250) keeps the
    // row; one at the start (100) and one just before the end (199) leave it out; one at the end
    // (200) does not.
    const std::vector<std::int64_t> prev{50, 100, kMinusInfinity, kMinusInfinity, 40};
    const std::vector<std::int64_t> next{kInfinity, kInfinity, 199, 200, 250};
    EXPECT_EQ(sr::count_excluded(prev.data(), next.data(), prev.size(), 100, 200), 2);
    EXPECT_EQ(sr::count_excluded(prev.data(), next.data(), prev.size(), kMinusInfinity, kInfinity), 5);
    EXPECT_EQ(sr::count_excluded(nullptr, nullptr, 0, 0, 1), 0);
}
