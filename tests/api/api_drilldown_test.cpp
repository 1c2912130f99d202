// GET /api/v2/accounts/:id/reports/drilldown on tests/api/fixture.sql. Every expected record is
// worked out by hand from the fixture (times: 2024-01-01 00:00Z = 1704067200, a day = 86400 s).
#include "api_support.hpp"

using namespace apitest;
using json = nlohmann::ordered_json;  // key order is part of the wire format

namespace {

const std::string kJan1 = "1704067200", kJan2 = "1704153600", kJan3 = "1704240000";

HttpResponse drill(const std::string& query, std::vector<std::string> headers = {kAdmin}) {
    return http_get(server().url("/api/v2/accounts/1/reports/drilldown?" + query), headers);
}

std::string q(const std::string& metric, const std::string& bucket, const std::string& extra = "") {
    return "metric=" + metric + "&bucket_timestamp=" + bucket + "&" + kRange + extra;
}

void expect_invalid(const HttpResponse& r, long status, const std::string& parameter) {
    EXPECT_EQ(r.status, status) << r.body;
    const json body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body.value("parameter", ""), parameter) << r.body;
}

class Drilldown : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // The fixture leaves last_activity_at at its default (the load time): pin it.
        exec_sql("UPDATE conversations SET last_activity_at = created_at + interval '1 hour' WHERE account_id = 1");
    }
};

}  // namespace

TEST_F(Drilldown, ConversationsOfADay) {
    // Jan 2 (UTC): C3 (15:30) then C2 (09:00), newest first.
    const auto r = drill(q("conversations_count", kJan2));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_JSON(r.body, R"({"meta":{"metric":"conversations_count","record_type":"conversation",
        "bucket":{"since":1704153600,"until":1704240000},"current_page":1,"per_page":25,"total_count":2,
        "conversation_count":2},
      "payload":[
        {"record_type":"conversation",
         "conversation":{"id":3,"display_id":3,"contact_id":2,"contact_name":"-Mallory","inbox_id":2,
           "inbox_name":"Support Email","assignee_id":null,"assignee_name":null,"status":"open",
           "created_at":1704209400,"last_activity_at":1704213000,
           "last_message":{"id":8,"content":"csat","message_type":"template","sender_name":null,"created_at":1704214800}},
         "message":null,"metric_value":null,"occurred_at":1704209400},
        {"record_type":"conversation",
         "conversation":{"id":2,"display_id":2,"contact_id":2,"contact_name":"-Mallory","inbox_id":1,
           "inbox_name":"Website","assignee_id":2,"assignee_name":"Bob Agent","status":"open",
           "created_at":1704186000,"last_activity_at":1704189600,
           "last_message":{"id":5,"content":"help","message_type":"incoming","sender_name":"-Mallory","created_at":1704186000}},
         "message":null,"metric_value":null,"occurred_at":1704186000}]})");
}

TEST_F(Drilldown, FirstResponsesOfAWeekAreTheirReplies) {
    // The week bucket from Jan 1 is clipped to until (Jan 4). e3 (1800 s, C3) is Bob's reply m7 at
    // 16:00, e1 (300 s, C1) is Alice's reply m2 at 10:05.
    const auto r = drill(q("avg_first_response_time", kJan1, "&group_by=week"));
    ASSERT_EQ(r.status, 200) << r.body;
    const json body = json::parse(r.body);
    EXPECT_EQ(body["meta"].dump(),
              R"({"metric":"avg_first_response_time","record_type":"message","bucket":{"since":1704067200,"until":1704326400},"current_page":1,"per_page":25,"total_count":2,"conversation_count":2})");
    ASSERT_EQ(body["payload"].size(), 2u);
    EXPECT_EQ(body["payload"][0]["record_type"], "message");
    EXPECT_EQ(body["payload"][0]["message"].dump(),
              R"({"id":7,"content":"re","message_type":"outgoing","sender_name":"Bob Agent","created_at":1704211200})");
    EXPECT_EQ(body["payload"][0]["metric_value"].dump(), "1800.0");
    EXPECT_EQ(body["payload"][0]["occurred_at"], 1704211200);
    EXPECT_FALSE(body["payload"][0].contains("event_name"));
    EXPECT_EQ(body["payload"][1]["message"]["id"], 2);
    EXPECT_EQ(body["payload"][1]["message"]["sender_name"], "Alice Admin");
    EXPECT_EQ(body["payload"][1]["metric_value"].dump(), "300.0");
    EXPECT_EQ(body["payload"][1]["conversation"]["id"], 1);
}

TEST_F(Drilldown, ResolutionEventsCarryTheirName) {
    // e2: C1 resolved Jan 1 12:00, 7200 s (3600 s in business hours).
    auto body = json::parse(drill(q("resolutions_count", kJan1)).body);
    ASSERT_EQ(body["payload"].size(), 1u) << body.dump();
    const json& row = body["payload"][0];
    EXPECT_EQ(row["record_type"], "conversation");
    EXPECT_TRUE(row["message"].is_null());
    EXPECT_EQ(row["metric_value"].dump(), "7200.0");
    EXPECT_EQ(row["event_name"], "conversation_resolved");
    EXPECT_EQ(row["occurred_at"], 1704110400);
    EXPECT_EQ(row["conversation"]["status"], "resolved");
    EXPECT_EQ(body["meta"]["record_type"], "conversation");
    body = json::parse(drill(q("avg_resolution_time", kJan1, "&business_hours=true")).body);
    EXPECT_EQ(body["payload"][0]["metric_value"].dump(), "3600.0");
    // Bot metrics: the handoff of C4 on Jan 3; the bot resolution of C1 on Jan 1 (C1 was never handed off).
    body = json::parse(drill(q("bot_handoffs_count", kJan3)).body);
    EXPECT_EQ(body["meta"]["total_count"], 1);
    EXPECT_EQ(body["payload"][0]["conversation"]["id"], 4);
    EXPECT_EQ(body["payload"][0]["event_name"], "conversation_bot_handoff");
    body = json::parse(drill(q("bot_resolutions_count", kJan1)).body);
    EXPECT_EQ(body["meta"]["total_count"], 1);
    EXPECT_EQ(body["payload"][0]["event_name"], "conversation_bot_resolved");
}

TEST_F(Drilldown, PagesAndThePageAfterTheEnd) {
    // Outgoing messages on Jan 1: m3 (11:00, private note) and m2 (10:05), both of C1.
    auto body = json::parse(drill(q("outgoing_messages_count", kJan1, "&per_page=1&page=2")).body);
    EXPECT_EQ(body["meta"]["current_page"], 2);
    EXPECT_EQ(body["meta"]["per_page"], 1);
    EXPECT_EQ(body["meta"]["total_count"], 2);
    EXPECT_EQ(body["meta"]["conversation_count"], 1);
    ASSERT_EQ(body["payload"].size(), 1u);
    EXPECT_EQ(body["payload"][0]["message"]["id"], 2);
    EXPECT_EQ(body["payload"][0]["record_type"], "message");
    body = json::parse(drill(q("outgoing_messages_count", kJan1, "&per_page=1&page=3")).body);
    EXPECT_EQ(body["payload"].size(), 0u);
    EXPECT_EQ(body["meta"]["total_count"], 2);
    EXPECT_EQ(body["meta"]["conversation_count"], 1);
    EXPECT_EQ(body["meta"]["bucket"].dump(), R"({"since":1704067200,"until":1704153600})");
    // Chatwoot's clamps: page < 1 is 1; per_page <= 0 is 25, above 100 is 100.
    body = json::parse(drill(q("outgoing_messages_count", kJan1, "&per_page=0&page=-4")).body);
    EXPECT_EQ(body["meta"]["current_page"], 1);
    EXPECT_EQ(body["meta"]["per_page"], 25);
    EXPECT_EQ(body["payload"].size(), 2u);
    EXPECT_EQ(json::parse(drill(q("outgoing_messages_count", kJan1, "&per_page=500")).body)["meta"]["per_page"], 100);
}

TEST_F(Drilldown, EmptyBucket) {
    // No conversation was created on Jan 3 before C4 at 12:00 in the hour bucket 10:00..11:00.
    const auto r = drill(q("conversations_count", std::to_string(1704240000 + 10 * 3600), "&group_by=hour"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_JSON(r.body, R"({"meta":{"metric":"conversations_count","record_type":"conversation",
        "bucket":{"since":1704276000,"until":1704279600},"current_page":1,"per_page":25,"total_count":0,
        "conversation_count":0},"payload":[]})");
}

TEST_F(Drilldown, ZoneAndScope) {
    // The Bogota day Jan 3 runs from 05:00Z; clipped to until it holds C4 only.
    const json body = json::parse(drill(q("conversations_count", "1704258000", "&timezone=America/Bogota")).body);
    EXPECT_EQ(body["meta"]["bucket"].dump(), R"({"since":1704258000,"until":1704326400})");
    ASSERT_EQ(body["payload"].size(), 1u);
    EXPECT_EQ(body["payload"][0]["conversation"]["id"], 4);
    // The dashboard's timezone_offset=-5 gives the same window (a day is 24 h in January in every -5 zone).
    EXPECT_EQ(json::parse(drill(q("conversations_count", "1704258000", "&timezone_offset=-5")).body)["meta"]["bucket"],
              body["meta"]["bucket"]);
    // Alice's conversations on Jan 1: C1; the billing label on Jan 2: C3.
    auto scoped = json::parse(drill(q("conversations_count", kJan1, "&type=agent&id=1")).body);
    ASSERT_EQ(scoped["payload"].size(), 1u);
    EXPECT_EQ(scoped["payload"][0]["conversation"]["id"], 1);
    scoped = json::parse(drill(q("conversations_count", kJan2, "&type=label&id=1")).body);
    ASSERT_EQ(scoped["payload"].size(), 1u);
    EXPECT_EQ(scoped["payload"][0]["conversation"]["id"], 3);
}

TEST_F(Drilldown, OtherAccountsIdsAndAccess) {
    for (const std::string extra : {"&type=agent&id=3", "&type=inbox&id=3", "&type=team&id=2", "&type=label&id=3"}) {
        const auto r = drill(q("conversations_count", kJan2, extra));
        EXPECT_EQ(r.status, 404) << extra;
        EXPECT_EQ(r.body, R"({"error":"Resource could not be found"})") << extra;
    }
    EXPECT_EQ(drill(q("conversations_count", kJan2), {kAgent}).body,
              R"({"error":"You are not authorized to do this action"})");
    EXPECT_EQ(drill(q("conversations_count", kJan2), {kOther}).body,
              R"({"error":"You are not authorized to access this account"})");
    EXPECT_EQ(http_get(server().url("/api/v2/accounts/999/reports/drilldown?" + q("conversations_count", kJan2)), {kAdmin})
                  .status,
              404);
    // A custom role with report_manage reads reports, but Chatwoot's drilldown wants an
    // administrator: 401 with an empty body.
    exec_sql("INSERT INTO custom_roles (id, name, account_id, permissions, created_at, updated_at) "
             "VALUES (11, 'Reporter', 1, '{report_manage}', now(), now()); "
             "UPDATE account_users SET custom_role_id = 11 WHERE id = 4; "
             "INSERT INTO access_tokens (owner_type, owner_id, token, created_at, updated_at) "
             "VALUES ('User', 4, 'tok-dan', now(), now())");
    const auto custom = drill(q("conversations_count", kJan2), {"api_access_token: tok-dan"});
    const auto summary = http_get(server().url("/api/v2/accounts/1/reports/summary?" + kRange), {"api_access_token: tok-dan"});
    exec_sql("DELETE FROM access_tokens WHERE token = 'tok-dan'; UPDATE account_users SET custom_role_id = NULL WHERE id = 4; "
             "DELETE FROM custom_roles WHERE id = 11");
    EXPECT_EQ(custom.status, 401);
    EXPECT_EQ(custom.body, "");
    EXPECT_EQ(summary.status, 200) << summary.body;
}

TEST_F(Drilldown, BadInputNamesTheParameter) {
    expect_invalid(drill("bucket_timestamp=" + kJan2 + "&" + kRange), 422, "metric");
    expect_invalid(drill(q("nope", kJan2)), 422, "metric");
    expect_invalid(drill("metric=conversations_count&" + kRange), 422, "bucket_timestamp");
    expect_invalid(drill(q("conversations_count", "abc")), 422, "bucket_timestamp");
    expect_invalid(drill(q("conversations_count", "1704153600.5")), 422, "bucket_timestamp");
    expect_invalid(drill("metric=conversations_count&bucket_timestamp=" + kJan2 + "&since=-1&until=1704326400"), 422,
                   "since");
    expect_invalid(drill("metric=conversations_count&bucket_timestamp=" + kJan2 + "&since=1704153600"), 422, "until");
    expect_invalid(drill("metric=conversations_count&bucket_timestamp=" + kJan2 + "&since=1704326400&until=1704067200"),
                   422, "since");
    // The bucket must overlap the range: Jan 4 starts at until; Dec 31 ends at since.
    expect_invalid(drill(q("conversations_count", "1704326400")), 422, "bucket_timestamp");
    expect_invalid(drill(q("conversations_count", "1703980800")), 422, "bucket_timestamp");
    expect_invalid(drill(q("conversations_count", kJan2, "&group_by=fortnight")), 422, "group_by");
    expect_invalid(drill(q("conversations_count", kJan2, "&timezone=Mars/Olympus")), 422, "timezone");
    expect_invalid(drill(q("conversations_count", kJan2, "&type=planet")), 422, "type");
    expect_invalid(drill(q("conversations_count", kJan2, "&type=agent")), 422, "id");
    expect_invalid(drill(q("conversations_count", kJan2, "&page=abc")), 400, "page");
    expect_invalid(drill(q("conversations_count", kJan2, "&per_page=x")), 400, "per_page");
}
