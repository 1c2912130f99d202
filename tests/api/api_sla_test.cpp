// SLA routes (/api/v1/accounts/:id/applied_slas{,/metrics,/download}) over HTTP against
// tests/api/fixture.sql (its SLA block lists the rows); every expected value is worked out by
// hand next to the assertion.
#include "api_support.hpp"

using namespace apitest;

namespace {

HttpResponse sla_get(const std::string& path, const std::string& auth = kAdmin, int account = 1) {
    return http_get(server().url("/api/v1/accounts/" + std::to_string(account) + "/applied_slas" + path), {auth});
}

std::string json_of(const HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    return r.body;
}

}  // namespace

TEST(Sla, MetricsWithChatwootsFiltersAndHitRateText) {
    // A1 hit, A2 missed, A3 active_with_misses, A4 active: 2 of 4 missed -> "50.0%".
    const char* all = R"({"total_applied_slas":4,"number_of_sla_misses":2,"hit_rate":"50.0%"})";
    EXPECT_JSON(json_of(sla_get("/metrics")), all);
    EXPECT_JSON(json_of(sla_get("/metrics?" + kRange)), all);
    // Only one end of the range: no date filter, as Chatwoot.
    EXPECT_JSON(json_of(sla_get("/metrics?since=1704326400")), all);
    // From Jan 2: A2, A3 missed, A4 active -> 1/3 = 33.33%.
    EXPECT_JSON(json_of(sla_get("/metrics?since=1704153600&until=1704326400")),
                R"({"total_applied_slas":3,"number_of_sla_misses":2,"hit_rate":"33.33%"})");
    // Alice's C1 (hit) and C4 (active): no miss -> "100%".
    EXPECT_JSON(json_of(sla_get("/metrics?assigned_agent_id=1")),
                R"({"total_applied_slas":2,"number_of_sla_misses":0,"hit_rate":"100%"})");
    // Inbox 2: C3 (miss), C4. Team 1: C1, C3 (miss). Label "urgent": C3 only -> "0.0%".
    EXPECT_JSON(json_of(sla_get("/metrics?inbox_id=2")), R"({"total_applied_slas":2,"number_of_sla_misses":1,"hit_rate":"50.0%"})");
    EXPECT_JSON(json_of(sla_get("/metrics?team_id=1")), R"({"total_applied_slas":2,"number_of_sla_misses":1,"hit_rate":"50.0%"})");
    EXPECT_JSON(json_of(sla_get("/metrics?label_list=urgent")), R"({"total_applied_slas":1,"number_of_sla_misses":1,"hit_rate":"0.0%"})");
    EXPECT_JSON(json_of(sla_get("/metrics?sla_policy_id=1")), all);
    // Nothing applied: "100%" with zero counts (an empty range, account 2's policy and inbox).
    const char* none = R"({"total_applied_slas":0,"number_of_sla_misses":0,"hit_rate":"100%"})";
    EXPECT_JSON(json_of(sla_get("/metrics?since=1600000000&until=1600086400")), none);
    EXPECT_JSON(json_of(sla_get("/metrics?sla_policy_id=2")), none);
    EXPECT_JSON(json_of(sla_get("/metrics?inbox_id=3")), none);
    EXPECT_JSON(json_of(sla_get("/metrics?inbox_id=99999999999")), none);
}

TEST(Sla, ListIsTheMissedRowsWithChatwootsShape) {
    // A2 (C2, Bob, created Jan 2 09:00) and A3 (C3, unassigned, 15:30), in the order applied.
    // Due times: C2 created 09:00 -> frt 10:00, waiting since 09:00 -> nrt 11:00, rt Jan 3 09:00;
    // C3 created 15:30 -> frt 16:30, nobody waiting -> no nrt, rt Jan 3 15:30.
    const std::string a2 =
        R"({"applied_sla":{"id":2,"sla_id":1,"sla_status":"missed","created_at":1704186000,"updated_at":1704189600,)"
        R"("sla_description":"Premium customers","sla_name":"Premium","sla_first_response_time_threshold":3600.0,)"
        R"("sla_next_response_time_threshold":7200.0,"sla_only_during_business_hours":false,)"
        R"("sla_resolution_time_threshold":86400.0,"sla_frt_due_at":1704189600,"sla_nrt_due_at":1704193200,)"
        R"("sla_rt_due_at":1704272400},)"
        R"j("conversation":{"id":2,"contact":{"name":"-Mallory"},"labels":"=HYPERLINK(\"x\")",)j"
        R"("assignee":{"id":2,"name":"Bob Agent","available_name":"Bob Agent","avatar_url":"","type":"user",)"
        R"("availability_status":"busy","thumbnail":""}},)"
        R"("sla_events":[{"id":1,"event_type":"frt","meta":{},"updated_at":1704189600,"created_at":1704189600}]})";
    const std::string a3 =
        R"({"applied_sla":{"id":3,"sla_id":1,"sla_status":"active_with_misses","created_at":1704209400,)"
        R"("updated_at":1704214800,"sla_description":"Premium customers","sla_name":"Premium",)"
        R"("sla_first_response_time_threshold":3600.0,"sla_next_response_time_threshold":7200.0,)"
        R"("sla_only_during_business_hours":false,"sla_resolution_time_threshold":86400.0,)"
        R"("sla_frt_due_at":1704213000,"sla_nrt_due_at":null,"sla_rt_due_at":1704295800},)"
        R"("conversation":{"id":3,"contact":{"name":"-Mallory"},"labels":"billing,urgent"},)"
        R"("sla_events":[{"id":2,"event_type":"nrt","meta":{"message_id":6},"updated_at":1704214800,"created_at":1704214800}]})";
    EXPECT_JSON(json_of(sla_get("")), R"({"payload":[)" + a2 + "," + a3 + R"(],"meta":{"count":2,"current_page":1}})");
    EXPECT_JSON(json_of(sla_get("?team_id=1&" + kRange)), R"({"payload":[)" + a3 + R"(],"meta":{"count":1,"current_page":1}})");
    // 25 a page: page 2 is empty; current_page echoes the parameter as sent.
    EXPECT_JSON(json_of(sla_get("?page=2")), R"({"payload":[],"meta":{"count":2,"current_page":"2"}})");
    // Account 2's administrator sees only A5.
    const auto other = json_of(sla_get("", kOther, 2));
    const auto parsed = nlohmann::json::parse(other);
    ASSERT_EQ(parsed["payload"].size(), 1u) << other;
    EXPECT_EQ(parsed["payload"][0]["applied_sla"]["id"], 5);
    EXPECT_EQ(parsed["payload"][0]["applied_sla"]["sla_name"], "Other policy");
}

TEST(Sla, DownloadIsChatwootsBreachedConversationCsv) {
    // Header, two empty lines; each missed row indented by two spaces and followed by an empty
    // line. C2's formula label is guarded and quoted; C3's comma label quoted.
    const auto r = sla_get("/download");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/csv");
    EXPECT_EQ(r.header("content-disposition"), "attachment; filename=breached_conversation.csv");
    EXPECT_EQ(r.body,
              "Conversation ID,SLA Policy,Assignee,Team,Inbox,Labels,Link to the Conversation,Breached Events\n"
              "\n\n"
              "  2,Premium,Bob Agent,,Website,\"'=HYPERLINK(\"\"x\"\")\",https://chat.example.test/app/accounts/1/conversations/2,frt\n"
              "\n"
              "  3,Premium,,pre-sales,Support Email,\"billing,urgent\",https://chat.example.test/app/accounts/1/conversations/3,nrt\n"
              "\n");
    // Filters apply: inbox 1 holds only C2's miss.
    const auto one = sla_get("/download?inbox_id=1");
    EXPECT_EQ(one.body.find("  3,"), std::string::npos) << one.body;
    EXPECT_NE(one.body.find("  2,Premium"), std::string::npos) << one.body;
}

TEST(Sla, AuthAndHostileParameters) {
    for (const char* path : {"", "/metrics", "/download"}) {
        // Agents are refused; so is another account's administrator, and no token at all.
        EXPECT_EQ(sla_get(path, kAgent).status, 401) << path;
        EXPECT_EQ(sla_get(path, kOther).status, 401) << path;
        EXPECT_EQ(http_get(server().url(std::string("/api/v1/accounts/1/applied_slas") + path)).status, 401) << path;
    }
    for (const char* bad : {"?assigned_agent_id=abc", "?inbox_id=-1", "?team_id=1%20OR%201=1", "?sla_policy_id=1.5",
                            "?since=1704326400&until=1704067200", "?since=x&until=1704067200"}) {
        for (const char* path : {"", "/metrics", "/download"}) {
            const auto r = sla_get(std::string(path) + bad);
            EXPECT_TRUE(r.status == 400 || r.status == 422) << path << bad << ": " << r.status << " " << r.body;
            EXPECT_NE(r.body.find("\"parameter\""), std::string::npos) << path << bad << ": " << r.body;
        }
    }
    for (const char* page : {"?page=abc", "?page=99999999999999999999"}) {
        const auto r = sla_get(page);
        EXPECT_TRUE(r.status == 400 || r.status == 422) << page << ": " << r.status << " " << r.body;
    }
    // A label is only ever a substring to look for: quotes and wildcards match nothing.
    EXPECT_JSON(json_of(sla_get("/metrics?label_list=%27%3B%20DROP%20TABLE%20applied_slas%3B%20--")),
                R"({"total_applied_slas":0,"number_of_sla_misses":0,"hit_rate":"100%"})");
    EXPECT_JSON(json_of(sla_get("/metrics?label_list=%25")),
                R"({"total_applied_slas":0,"number_of_sla_misses":0,"hit_rate":"100%"})");
    EXPECT_JSON(json_of(sla_get("/metrics")), R"({"total_applied_slas":4,"number_of_sla_misses":2,"hit_rate":"50.0%"})");
}

TEST(Sla, DatabaseWithoutSlaTablesAnswersNotFound) {
    // An older or community-edition Chatwoot has no sla_events: the routes answer as such a
    // Chatwoot does (the table is renamed away for this test and back afterwards).
    exec_sql("ALTER TABLE sla_events RENAME TO sla_events_hidden");
    for (const char* path : {"", "/metrics", "/download"}) {
        const auto r = sla_get(path);
        EXPECT_EQ(r.status, 404) << path << ": " << r.body;
        EXPECT_EQ(r.body, R"({"error":"Resource could not be found"})") << path;
    }
    exec_sql("ALTER TABLE sla_events_hidden RENAME TO sla_events");
    EXPECT_EQ(sla_get("/metrics").status, 200);
}
