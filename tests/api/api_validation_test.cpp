// Client mistakes answer 400/422 with a JSON body naming the parameter, never 500.
#include "api_support.hpp"

using namespace apitest;

namespace {

struct Case {
    std::string path;
    long status;
    std::string parameter;
};

void expect_invalid(const Case& c) {
    const auto r = http_get(server().url("/api/v2/accounts/1/" + c.path), {kAdmin});
    EXPECT_EQ(r.status, c.status) << c.path << ": " << r.body;
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << c.path << ": " << r.body;
    EXPECT_EQ(j.value("error", ""), "invalid parameter") << c.path << ": " << r.body;
    EXPECT_EQ(j.value("parameter", ""), c.parameter) << c.path << ": " << r.body;
    EXPECT_FALSE(j.value("message", "").empty()) << c.path;
    // Never SQL text or function internals.
    EXPECT_EQ(r.body.find("CONTEXT"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("PL/pgSQL"), std::string::npos) << r.body;
}

}  // namespace

TEST(Validation, TimeRange) {
    for (const Case& c : std::vector<Case>{
             {"reports?metric=conversations_count&since=abc&until=1704326400", 400, "since"},
             {"reports?metric=conversations_count&since=1704067200&until=tomorrow", 400, "until"},
             {"reports?metric=conversations_count&since=1704326400&until=1704067200", 422, "since"},
             {"reports?metric=conversations_count&since=1704067200&until=1704067200", 422, "since"},
             {"reports?metric=conversations_count&since=-1&until=1704067200", 422, "since"},
             {"reports/summary?since=1704067200", 422, "until"},
             {"reports/summary", 422, "since"},
             {"reports/agents?until=1704067200", 422, "since"},
             {"summary_reports/agent?since=x&until=1", 400, "since"},
             {"reports/bot_metrics", 422, "since"},
             {"reports/heatmap?since=1704326400&until=1704067200", 422, "since"},
         })
        expect_invalid(c);
}

TEST(Validation, EnumeratedValues) {
    for (const Case& c : std::vector<Case>{
             {"reports?metric=bogus&" + kRange, 422, "metric"},
             {"reports?" + kRange, 422, "metric"},
             {"reports?metric=conversations_count&group_by=fortnight&" + kRange, 422, "group_by"},
             {"reports?metric=conversations_count&type=planet&" + kRange, 422, "type"},
             {"reports/summary?type=agent&" + kRange, 422, "id"},
             {"reports?metric=conversations_count&timezone=Mars/Olympus&" + kRange, 422, "timezone"},
             {"reports/heatmap?metric=avg_first_response_time&" + kRange, 422, "metric"},
             {"reports/heatmap?timezone=Nowhere&" + kRange, 422, "timezone"},
             {"reports/outgoing_messages_count?group_by=planet&" + kRange, 422, "group_by"},
             {"reports/outgoing_messages_count?" + kRange, 422, "group_by"},
             {"reports/conversations", 422, "type"},
             {"reports/conversations?type=planet", 422, "type"},
             {"reports/agents?format=xml&" + kRange, 422, "format"},
             {"reports/response_time_distribution?edges[]=600&edges[]=300", 422, "edges[]"},
         })
        expect_invalid(c);
}

TEST(Validation, Numbers) {
    for (const Case& c : std::vector<Case>{
             {"reports?metric=conversations_count&type=agent&id=abc&" + kRange, 400, "id"},
             {"reports?metric=conversations_count&type=agent&id=1.5&" + kRange, 400, "id"},
             {"reports?metric=conversations_count&timezone_offset=abc&" + kRange, 400, "timezone_offset"},
             {"reports?metric=conversations_count&timezone_offset=25&" + kRange, 422, "timezone_offset"},
             {"reports/inbox_label_matrix?inbox_ids[]=x", 400, "inbox_ids[]"},
             {"reports/response_time_distribution?edges[]=ten", 400, "edges[]"},
             {"reports/conversations?type=agent&page=first", 400, "page"},
             {"reports/conversation_traffic?timezone_offset=0&days_before=0", 422, "days_before"},
             {"live_reports/conversation_metrics?team_id=x", 400, "team_id"},
             {"reports?metric=%zz&" + kRange, 400, "metric"},
             {"reports?metric=conversations_count&timezone=%FF&" + kRange, 400, "timezone"},
         })
        expect_invalid(c);
}

TEST(Validation, BucketLimit) {
    // Two years of hours is 17544 buckets, over the default --max-buckets of 10000.
    expect_invalid({"reports?metric=conversations_count&group_by=hour&since=1672531200&until=1735689600", 422, "group_by"});
    // The same range by day is fine.
    EXPECT_EQ(http_get(server().url("/api/v2/accounts/1/reports?metric=conversations_count&group_by=day&since=1672531200&"
                                    "until=1735689600"),
                       {kAdmin})
                  .status,
              200);
}

TEST(Validation, ChatwootSpecificAnswersAreKept) {
    const auto channel =
        http_get(server().url("/api/v2/accounts/1/summary_reports/channel?since=1672531200&until=1704067200"), {kAdmin});
    EXPECT_EQ(channel.status, 422);
    EXPECT_EQ(channel.body, R"({"error":"Date range cannot exceed 6 months"})");
    const auto grouped =
        http_get(server().url("/api/v2/accounts/1/live_reports/grouped_conversation_metrics?group_by=inbox_id"), {kAdmin});
    EXPECT_EQ(grouped.status, 422);
    EXPECT_EQ(grouped.body, R"({"error":"invalid group_by"})");
}

TEST(Validation, SqlErrorsCarryTheFunctionsMessage) {
    const auto r = http_get(server().url("/api/v2/accounts/1/reports?metric=bogus&" + kRange), {kAdmin});
    EXPECT_JSON(r.body,
                R"({"error":"invalid parameter","parameter":"metric","message":"invalid metric \"bogus\"",)"
                R"("hint":"Valid metrics are conversations_count, incoming_messages_count, outgoing_messages_count, )"
                R"(resolutions_count, bot_resolutions_count, bot_handoffs_count, avg_first_response_time, )"
                R"(avg_resolution_time, reply_time, median_first_response_time, p90_first_response_time, median_resolution_time, )"
                R"(p90_resolution_time, median_reply_time, p90_reply_time, reopened_count, reopen_rate, )"
                R"(one_touch_resolution_rate, unique_resolved_count, one_touch_resolved_count, )"
                R"(cohort_avg_first_response_time, cohort_avg_resolution_time, cohort_reply_time, )"
                R"(cohort_median_first_response_time, cohort_p90_first_response_time, cohort_median_resolution_time, )"
                R"(cohort_p90_resolution_time, cohort_median_reply_time, cohort_p90_reply_time."})");
}
