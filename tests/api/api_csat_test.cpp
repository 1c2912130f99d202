// CSAT routes. Account 1 has two responses: r1 rating 5 (Alice, C1, Jan 1 12:30) and r2 rating 2
// (Bob, C3 in inbox 2, Jan 2 17:30); both conversations are team 1's. Two surveys were sent
// (m4 Jan 1, m8 Jan 2). Account 2's r3 must never show up.
#include "api_support.hpp"

using namespace apitest;

namespace {

HttpResponse csat(const std::string& path) {
    return http_get(server().url("/api/v1/accounts/1/csat_survey_responses" + path), {kAdmin});
}

}  // namespace

TEST(CsatMetrics, TotalsAndFilters) {
    EXPECT_EQ(csat("/metrics").body, R"({"total_count":2,"ratings_count":{"2":1,"5":1},"total_sent_messages_count":2})");
    // Jan 2 onwards: r2 and the survey m8.
    EXPECT_EQ(csat("/metrics?since=1704153600&until=1704326400").body,
              R"({"total_count":1,"ratings_count":{"2":1},"total_sent_messages_count":1})");
    // Repeated array parameters reach the query (Pistache alone would keep only the first).
    EXPECT_EQ(csat("/metrics?user_ids[]=1&user_ids[]=2").body,
              R"({"total_count":2,"ratings_count":{"2":1,"5":1},"total_sent_messages_count":2})");
    EXPECT_EQ(csat("/metrics?user_ids%5B%5D=1").body,
              R"({"total_count":1,"ratings_count":{"5":1},"total_sent_messages_count":2})");
    EXPECT_EQ(csat("/metrics?rating[]=2&rating[]=5").body,
              R"({"total_count":2,"ratings_count":{"2":1,"5":1},"total_sent_messages_count":2})");
    EXPECT_EQ(csat("/metrics?rating=5").body,
              R"({"total_count":1,"ratings_count":{"5":1},"total_sent_messages_count":2})");
    EXPECT_EQ(csat("/metrics?inbox_id=2").body,
              R"({"total_count":1,"ratings_count":{"2":1},"total_sent_messages_count":2})");
    EXPECT_EQ(csat("/metrics?team_id=1").body,
              R"({"total_count":2,"ratings_count":{"2":1,"5":1},"total_sent_messages_count":2})");
    // Account 2's agent, inbox and team filter account 1's responses down to nothing.
    EXPECT_EQ(csat("/metrics?user_ids[]=3").body,
              R"({"total_count":0,"ratings_count":{},"total_sent_messages_count":2})");
    EXPECT_EQ(csat("/metrics?inbox_id=3").body,
              R"({"total_count":0,"ratings_count":{},"total_sent_messages_count":2})");
}

TEST(CsatIndex, NewestFirstWithDetails) {
    const auto r = csat("?sort=-created_at&" + kRange);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_JSON(r.body,
                R"([{"id":2,"rating":2,"feedback_message":"=1+1","csat_review_notes":null,"review_notes_updated_at":null,)"
                R"("account_id":1,"message_id":8,)"
                R"("contact":{"additional_attributes":{},"availability_status":"offline","email":null,"id":2,"name":"-Mallory",)"
                R"("phone_number":null,"blocked":false,"identifier":null,"thumbnail":"","custom_attributes":{},)"
                R"("last_activity_at":null,"created_at":1685577600},)"
                R"("conversation_id":3,)"
                R"("assigned_agent":{"id":2,"account_id":1,"availability_status":"busy","auto_offline":true,"confirmed":true,)"
                R"("email":"bob@acme.test","provider":"email","available_name":"Bob Agent","custom_attributes":{},)"
                R"("name":"Bob Agent","role":"agent","thumbnail":""},"created_at":1704216600},)"
                R"({"id":1,"rating":5,"feedback_message":"Great, thanks!","csat_review_notes":null,"review_notes_updated_at":null,)"
                R"("account_id":1,"message_id":4,)"
                R"("contact":{"additional_attributes":{},"availability_status":"offline","email":"eve@example.com","id":1,)"
                R"("name":"Eve Customer","phone_number":"+15551234567","blocked":false,"identifier":null,"thumbnail":"",)"
                R"("custom_attributes":{},"last_activity_at":null,"created_at":1685577600},)"
                R"("conversation_id":1,)"
                R"("assigned_agent":{"id":1,"account_id":1,"availability_status":"online","auto_offline":true,"confirmed":true,)"
                R"("email":"alice@acme.test","provider":"email","available_name":"Alice Admin","custom_attributes":{},)"
                R"("name":"Alice Admin","role":"administrator","thumbnail":""},"created_at":1704112200}])");
}

TEST(CsatIndex, SortingAndPages) {
    const auto oldest = nlohmann::json::parse(csat("?sort=created_at").body);
    ASSERT_EQ(oldest.size(), 2u);
    EXPECT_EQ(oldest[0]["id"], 1);
    EXPECT_EQ(oldest[1]["id"], 2);
    EXPECT_EQ(csat("?page=2").body, "[]");
    EXPECT_EQ(nlohmann::json::parse(csat("?page=0").body).size(), 2u);  // page < 1 is page 1
}

TEST(CsatReport, SeedMetricsWithAgents) {
    // score = share of 4-5 ratings (1 of 2); average (5 + 2) / 2; response rate 2 of 2 surveys.
    // By agent, the seed's counts: Alice's 5 is positive, Bob's 2 negative.
    const auto r = http_get(server().url("/api/v2/accounts/1/reports/csat?" + kRange), {kAdmin});
    EXPECT_EQ(r.status, 200);
    EXPECT_JSON(r.body,
                R"({"total_count":2,"total_sent_messages_count":2,"satisfaction_score":50.0,"average_rating":3.5,)"
                R"("response_rate":100.0,"ratings_count":{"1":0,"2":1,"3":0,"4":0,"5":1},)"
                R"("by_agent":[{"agent_id":1,"agent_name":"Alice Admin","agent_email":"alice@acme.test","total_count":1,)"
                R"("satisfaction_score":100.0,"average_rating":5.0,"ratings_count":{"1":0,"2":0,"3":0,"4":0,"5":1},)"
                R"("total_responses":1,"positive_count":1,"negative_count":0},)"
                R"({"agent_id":2,"agent_name":"Bob Agent","agent_email":"bob@acme.test","total_count":1,)"
                R"("satisfaction_score":0.0,"average_rating":2.0,"ratings_count":{"1":0,"2":1,"3":0,"4":0,"5":0},)"
                R"("total_responses":1,"positive_count":0,"negative_count":1}]})");
    // No responses: the average is null, the rates 0.
    const auto none = http_get(server().url("/api/v2/accounts/1/reports/csat?since=1600000000&until=1600086400"), {kAdmin});
    EXPECT_JSON(none.body,
                R"({"total_count":0,"total_sent_messages_count":0,"satisfaction_score":0.0,"average_rating":null,)"
                R"("response_rate":0.0,"ratings_count":{"1":0,"2":0,"3":0,"4":0,"5":0},"by_agent":[]})");
}

TEST(CsatValidation, BadFilters) {
    EXPECT_EQ(csat("/metrics?user_ids[]=abc").status, 400);
    EXPECT_EQ(csat("/metrics?inbox_id=x").status, 400);
    EXPECT_EQ(csat("/metrics?rating=high").status, 400);
    const auto sort = csat("?sort=rating");
    EXPECT_EQ(sort.status, 422);
    EXPECT_EQ(nlohmann::json::parse(sort.body)["parameter"], "sort");
    EXPECT_EQ(csat("/metrics?since=1704326400&until=1704067200").status, 422);
}
