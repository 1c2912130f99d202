// JSON routes over HTTP against tests/api/fixture.sql. Every expected value is worked out by hand
// from the fixture (its comments list the rows); the derivations are next to the assertions.
#include <cmath>

#include "api_support.hpp"

using namespace apitest;

namespace {

HttpResponse admin_get(const std::string& path) { return http_get(server().url("/api/v2/accounts/1/" + path), {kAdmin}); }

std::string json_of(const HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    return r.body;
}

using Expected = std::vector<std::pair<std::string, double>>;

// Checks an object's quantile keys within the sketch's 1% of the hand-worked percentile_cont
// values (NAN: null) and erases them.
void check_quantiles(nlohmann::ordered_json& block, const Expected& want, const std::string& which) {
    for (const auto& [key, value] : want) {
        if (!block.contains(key)) {
            ADD_FAILURE() << which << " has no " << key;
            continue;
        }
        if (std::isnan(value)) {
            EXPECT_TRUE(block[key].is_null()) << which << " " << key << " = " << block[key].dump();
        } else if (!block[key].is_number()) {
            ADD_FAILURE() << which << " " << key << " = " << block[key].dump();
        } else {
            EXPECT_LE(std::fabs(block[key].get<double>() - value), 0.01 * std::fabs(value)) << which << " " << key;
        }
        block.erase(key);
    }
}

// The quantiles of each row of an entity report (want[i] for row i), checked and removed.
std::string checked_row_quantiles(const std::string& body, const std::vector<Expected>& want) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_array() || j.size() != want.size()) {
        ADD_FAILURE() << "unexpected rows: " << body;
        return body;
    }
    for (std::size_t i = 0; i < want.size(); ++i) check_quantiles(j[i], want[i], "row " + std::to_string(i));
    return j.dump();
}

// Six quantile keys at once: first response, resolution and reply medians and p90s.
Expected quantiles(double frt_median, double frt_p90, double rt_median, double rt_p90, double reply_median,
                   double reply_p90) {
    return {{"median_first_response_time", frt_median}, {"p90_first_response_time", frt_p90},
            {"median_resolution_time", rt_median},      {"p90_resolution_time", rt_p90},
            {"median_reply_time", reply_median},        {"p90_reply_time", reply_p90}};
}

// Checks the summary's quantile keys (in the block and its "previous") within the sketch's 1% of
// the hand-worked percentile_cont values (NAN: null), and returns the JSON without them, for an
// exact comparison of the rest.
std::string checked_quantiles(const std::string& body, const Expected& current, const Expected& previous) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(body, nullptr, false);
    if (j.is_discarded()) return body;
    check_quantiles(j, current, "current");
    if (j.contains("previous")) check_quantiles(j["previous"], previous, "previous");
    return j.dump();
}

}  // namespace

// ---- timeseries ---------------------------------------------------------------------------------

TEST(Timeseries, CountMetricByDay) {
    // C1 Jan 1, C2 + C3 Jan 2, C4 Jan 3.
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&" + kRange)),
                R"([{"value":1,"timestamp":1704067200},{"value":2,"timestamp":1704153600},{"value":1,"timestamp":1704240000}])");
}

TEST(Timeseries, AverageMetricHasFloatsCountsAndIntegerZeroForEmptyBuckets) {
    // first_response 300 on Jan 1, 1800 on Jan 2, none on Jan 3.
    EXPECT_JSON(json_of(admin_get("reports?metric=avg_first_response_time&" + kRange)),
                R"([{"value":300.0,"timestamp":1704067200,"count":1},{"value":1800.0,"timestamp":1704153600,"count":1},)"
                R"({"value":0,"timestamp":1704240000,"count":0}])");
    // business hours: the resolution (7200 s wall clock) took 3600 business seconds.
    EXPECT_JSON(json_of(admin_get("reports?metric=avg_resolution_time&group_by=week&business_hours=true&" + kRange)),
                R"([{"value":3600.0,"timestamp":1703980800,"count":1}])");  // week of Sunday 2023-12-31
}

TEST(Timeseries, OtherMetrics) {
    EXPECT_JSON(json_of(admin_get("reports?metric=incoming_messages_count&group_by=month&" + kRange)),
                R"([{"value":4,"timestamp":1704067200}])");
    EXPECT_JSON(json_of(admin_get("reports?metric=outgoing_messages_count&group_by=month&" + kRange)),
                R"([{"value":4,"timestamp":1704067200}])");
    EXPECT_JSON(json_of(admin_get("reports?metric=resolutions_count&group_by=year&" + kRange)),
                R"([{"value":1,"timestamp":1704067200}])");
    EXPECT_JSON(json_of(admin_get("reports?metric=bot_handoffs_count&group_by=quarter&" + kRange)),
                R"([{"value":1,"timestamp":1704067200}])");
    EXPECT_JSON(json_of(admin_get("reports?metric=reply_time&group_by=month&" + kRange)),
                R"([{"value":90.0,"timestamp":1704067200,"count":1}])");
}

TEST(Timeseries, HourBuckets) {
    // Jan 2 09:00-16:00 UTC: C2 at 09:00, C3 at 15:30.
    const auto body = json_of(admin_get("reports?metric=conversations_count&group_by=hour&since=1704186000&until=1704211200"));
    EXPECT_JSON(body, R"([{"value":1,"timestamp":1704186000},{"value":0,"timestamp":1704189600},)"
                      R"({"value":0,"timestamp":1704193200},{"value":0,"timestamp":1704196800},)"
                      R"({"value":0,"timestamp":1704200400},{"value":0,"timestamp":1704204000},)"
                      R"({"value":1,"timestamp":1704207600}])");
}

TEST(Timeseries, TimezoneByName) {
    // Los Angeles (PST, -8): since = Dec 31 16:00 local, so the first bucket is Dec 31 00:00 PST
    // (1704009600); C1 is Jan 1 02:00 PST, C2/C3 Jan 2, C4 Jan 3 04:00 PST.
    const auto expected = R"([{"value":0,"timestamp":1704009600},{"value":1,"timestamp":1704096000},)"
                          R"({"value":2,"timestamp":1704182400},{"value":1,"timestamp":1704268800}])";
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&timezone=America/Los_Angeles&" + kRange)), expected);
    // A Rails zone name works too.
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&timezone=Pacific+Time+%28US+%26+Canada%29&" + kRange)),
                expected);
}

TEST(Timeseries, TimezoneOffsetMapsToARailsZone) {
    // 5.5 -> Chennai (Asia/Kolkata, no DST, so the answer does not depend on today's date). Days
    // start at 18:30 UTC: Dec 31 18:30 (1704047400) holds C1, Jan 1 18:30 C2 and C3, Jan 2 18:30
    // C4, and Jan 3 18:30 (< until) is empty.
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&timezone_offset=5.5&" + kRange)),
                R"([{"value":1,"timestamp":1704047400},{"value":2,"timestamp":1704133800},)"
                R"({"value":1,"timestamp":1704220200},{"value":0,"timestamp":1704306600}])");
    // 14 has no Rails zone: a fixed +14:00 zone, whose days start at 10:00 UTC. The day starting
    // Jan 1 10:00 UTC holds C1 (exactly at its start) and C2 (Jan 2 09:00 UTC); C3 falls in the
    // next day, C4 in the one after.
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&timezone_offset=14&" + kRange)),
                R"([{"value":0,"timestamp":1704016800},{"value":2,"timestamp":1704103200},)"
                R"({"value":1,"timestamp":1704189600},{"value":1,"timestamp":1704276000}])");
}

TEST(Timeseries, Scopes) {
    // Alice is assigned C1 (Jan 1) and C4 (Jan 3).
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&type=agent&id=1&" + kRange)),
                R"([{"value":1,"timestamp":1704067200},{"value":0,"timestamp":1704153600},{"value":1,"timestamp":1704240000}])");
    // Inbox 2: C3 (Jan 2), C4 (Jan 3).
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&type=inbox&id=2&" + kRange)),
                R"([{"value":0,"timestamp":1704067200},{"value":1,"timestamp":1704153600},{"value":1,"timestamp":1704240000}])");
    // Team 1: C1, C3. Label "urgent": C3.
    EXPECT_JSON(json_of(admin_get("reports?metric=conversations_count&type=team&id=1&group_by=month&" + kRange)),
                R"([{"value":2,"timestamp":1704067200}])");
    EXPECT_JSON(json_of(admin_get("reports?metric=avg_first_response_time&type=label&id=2&group_by=month&" + kRange)),
                R"([{"value":1800.0,"timestamp":1704067200,"count":1}])");
}

TEST(Timeseries, AnotherAccountsIdsAreNotFound) {
    for (const char* scope : {"type=agent&id=3", "type=inbox&id=3", "type=team&id=2", "type=label&id=3",
                              "type=inbox&id=99999999999"}) {
        const auto r = admin_get(std::string("reports?metric=conversations_count&") + scope + "&" + kRange);
        EXPECT_EQ(r.status, 404) << scope;
        EXPECT_JSON(r.body, R"({"error":"Resource could not be found"})");
    }
}

TEST(Timeseries, BacklogIsTheStateAtEachBucketEnd) {
    // The fixture inserts each conversation in its final status, so the history is one row each,
    // at its updated_at: C1 resolved Jan 1 12:00, C2 open Jan 2 09:00, C3 open Jan 2 16:30, C4
    // pending Jan 3 12:30 (C5 resolved in December; C6 is account 2's). End of Jan 1: nothing
    // unresolved; Jan 2: C2, C3 open; Jan 3: C2, C3 open, C4 pending. value = the three together.
    EXPECT_JSON(json_of(admin_get("reports?metric=backlog&" + kRange)),
                R"([{"value":0,"timestamp":1704067200,"open":0,"pending":0,"snoozed":0},)"
                R"({"value":2,"timestamp":1704153600,"open":2,"pending":0,"snoozed":0},)"
                R"({"value":3,"timestamp":1704240000,"open":2,"pending":1,"snoozed":0}])");
    // Inbox 2 holds C3 and C4; business_hours changes nothing (a state, not a duration).
    EXPECT_JSON(json_of(admin_get("reports?metric=backlog&type=inbox&id=2&business_hours=true&" + kRange)),
                R"([{"value":0,"timestamp":1704067200,"open":0,"pending":0,"snoozed":0},)"
                R"({"value":1,"timestamp":1704153600,"open":1,"pending":0,"snoozed":0},)"
                R"({"value":2,"timestamp":1704240000,"open":1,"pending":1,"snoozed":0}])");
    // Hourly on Jan 2 12:00-17:00 UTC: C3 opens at 16:30, inside the last bucket.
    EXPECT_JSON(json_of(admin_get("reports?metric=backlog&group_by=hour&since=1704196800&until=1704214800")),
                R"([{"value":1,"timestamp":1704196800,"open":1,"pending":0,"snoozed":0},)"
                R"({"value":1,"timestamp":1704200400,"open":1,"pending":0,"snoozed":0},)"
                R"({"value":1,"timestamp":1704204000,"open":1,"pending":0,"snoozed":0},)"
                R"({"value":1,"timestamp":1704207600,"open":1,"pending":0,"snoozed":0},)"
                R"({"value":2,"timestamp":1704211200,"open":2,"pending":0,"snoozed":0}])");
    // Account 2 sees only C6 (open since Jan 2 10:10); account 1's inbox is not one of its.
    const auto get2 = [](const std::string& path) { return http_get(server().url("/api/v2/accounts/2/" + path), {kOther}); };
    EXPECT_JSON(json_of(get2("reports?metric=backlog&group_by=month&" + kRange)),
                R"([{"value":1,"timestamp":1704067200,"open":1,"pending":0,"snoozed":0}])");
    EXPECT_EQ(get2("reports?metric=backlog&type=inbox&id=1&" + kRange).status, 404);
}

TEST(Timeseries, BacklogRejectsBadParameters) {
    for (const char* bad : {"group_by=fortnight&since=1704067200&until=1704326400",
                            "since=1704326400&until=1704067200",  // since after until
                            "since=abc&until=1704326400",
                            "group_by=hour&since=0&until=1704326400",  // beyond --max-buckets
                            "timezone=Mars%2FOlympus_Mons&since=1704067200&until=1704326400",
                            "type=planet&id=1&since=1704067200&until=1704326400"}) {
        const auto r = admin_get(std::string("reports?metric=backlog&") + bad);
        EXPECT_TRUE(r.status == 400 || r.status == 422) << bad << ": " << r.status << " " << r.body;
        EXPECT_NE(r.body.find("\"parameter\""), std::string::npos) << bad << ": " << r.body;
    }
    // The agent of the account is not an administrator.
    EXPECT_EQ(http_get(server().url("/api/v2/accounts/1/reports?metric=backlog&" + kRange), {kAgent}).status, 401);
}

TEST(Timeseries, QuantileMetricIsADurationSeries) {
    // first_response 300 on Jan 1, 1800 on Jan 2 (one each: every quantile is that value, within
    // 1%), none on Jan 3: the integer 0, as an average's empty bucket.
    for (const char* metric : {"median_first_response_time", "p90_first_response_time"}) {
        const auto j = nlohmann::json::parse(json_of(admin_get(std::string("reports?metric=") + metric + "&" + kRange)));
        ASSERT_EQ(j.size(), 3u) << metric;
        EXPECT_NEAR(j[0]["value"].get<double>(), 300, 3) << metric;
        EXPECT_NEAR(j[1]["value"].get<double>(), 1800, 18) << metric;
        EXPECT_EQ(j[2]["value"].dump(), "0") << metric;
        EXPECT_EQ(j[0]["count"], 1);
        EXPECT_EQ(j[2]["count"], 0);
        EXPECT_EQ(j[1]["timestamp"], 1704153600);
    }
}

TEST(Timeseries, RatesAreSeriesOfPercentages) {
    // The range's one resolution is one-touch (100%) and not reopened (0 of 1): each rate sits in
    // that bucket with count 1 (its denominator); the other buckets are the integer 0, count 0.
    for (const auto& [metric, value] : std::vector<std::pair<std::string, double>>{
             {"one_touch_resolution_rate", 100.0}, {"reopen_rate", 0.0}}) {
        const auto j = nlohmann::json::parse(json_of(admin_get("reports?metric=" + metric + "&" + kRange)));
        ASSERT_EQ(j.size(), 3u) << metric;
        long long rows = 0;
        for (const auto& point : j) {
            rows += point["count"].get<long long>();
            if (point["count"] == 1) {
                EXPECT_EQ(point["value"].get<double>(), value) << metric << " " << point.dump();
                EXPECT_TRUE(point["value"].is_number_float()) << metric << " " << point.dump();
            } else {
                EXPECT_EQ(point["value"].dump(), "0") << metric << " " << point.dump();
            }
        }
        EXPECT_EQ(rows, 1) << metric;
    }
}

// ---- summaries ------------------------------------------------------------------------------------

TEST(Summary, CurrentAndPreviousPeriods) {
    // Current: 4 conversations, 4 in / 4 out, first responses 300 and 1800 -> 1050.0, one
    // resolution of 7200, reply 90. Previous (Dec 29 - Jan 1): C5 with 1 in / 1 out, first
    // response 1800, resolution 1000, no reply -> null.
    // Quantiles (percentile_cont): first responses 300, 1800 -> median 1050, p90 300 + 0.9 * 1500
    // = 1650; resolution 7200; reply 90. Previous: 1800, 1000, none.
    // Reopens: no conversation went from resolved to open (C1, C5 were created resolved) -> 0,
    // rate 0 / 1 resolution = 0. One-touch: C1 (resolved in range) has one public agent message
    // (m2; m3 is a private note) -> 100; previous C5 has m12 -> 100.
    EXPECT_JSON(checked_quantiles(json_of(admin_get("reports/summary?" + kRange)),
                                  {{"median_first_response_time", 1050}, {"p90_first_response_time", 1650},
                                   {"median_resolution_time", 7200}, {"p90_resolution_time", 7200},
                                   {"median_reply_time", 90}, {"p90_reply_time", 90}},
                                  {{"median_first_response_time", 1800}, {"p90_first_response_time", 1800},
                                   {"median_resolution_time", 1000}, {"p90_resolution_time", 1000},
                                   {"median_reply_time", NAN}, {"p90_reply_time", NAN}}),
                R"({"conversations_count":4,"incoming_messages_count":4,"outgoing_messages_count":4,)"
                R"("avg_first_response_time":1050.0,"avg_resolution_time":7200.0,"resolutions_count":1,"reply_time":90.0,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0,)"
                R"("previous":{"conversations_count":1,"incoming_messages_count":1,"outgoing_messages_count":1,)"
                R"("avg_first_response_time":1800.0,"avg_resolution_time":1000.0,"resolutions_count":1,"reply_time":null,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0}})");
}

TEST(Summary, BusinessHoursAndScope) {
    // value_in_business_hours: first responses 300/1800 -> 1050.0, resolution 3600, reply 60;
    // previous 900 and 500.
    // The quantiles of the business-hours values: 300, 1800 -> 1050 and 1650; 3600; 60; previous 900, 500.
    EXPECT_JSON(checked_quantiles(json_of(admin_get("reports/summary?business_hours=true&" + kRange)),
                                  {{"median_first_response_time", 1050}, {"p90_first_response_time", 1650},
                                   {"median_resolution_time", 3600}, {"p90_resolution_time", 3600},
                                   {"median_reply_time", 60}, {"p90_reply_time", 60}},
                                  {{"median_first_response_time", 900}, {"p90_first_response_time", 900},
                                   {"median_resolution_time", 500}, {"p90_resolution_time", 500},
                                   {"median_reply_time", NAN}, {"p90_reply_time", NAN}}),
                R"({"conversations_count":4,"incoming_messages_count":4,"outgoing_messages_count":4,)"
                R"("avg_first_response_time":1050.0,"avg_resolution_time":3600.0,"resolutions_count":1,"reply_time":60.0,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0,)"
                R"("previous":{"conversations_count":1,"incoming_messages_count":1,"outgoing_messages_count":1,)"
                R"("avg_first_response_time":900.0,"avg_resolution_time":500.0,"resolutions_count":1,"reply_time":null,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0}})");
    // Bob: C2; incoming counts are account-wide only for type=account, for an agent the messages
    // he sent (m7); first response 1800, reply 90.
    // His quantiles: first response 1800, reply 90, no resolution; no resolutions, so no reopen
    // rate and no one-touch rate (null), and nothing before.
    EXPECT_JSON(checked_quantiles(json_of(admin_get("reports/summary?type=agent&id=2&" + kRange)),
                                  {{"median_first_response_time", 1800}, {"p90_first_response_time", 1800},
                                   {"median_resolution_time", NAN}, {"p90_resolution_time", NAN},
                                   {"median_reply_time", 90}, {"p90_reply_time", 90}},
                                  {{"median_first_response_time", NAN}, {"p90_first_response_time", NAN},
                                   {"median_resolution_time", NAN}, {"p90_resolution_time", NAN},
                                   {"median_reply_time", NAN}, {"p90_reply_time", NAN}}),
                R"({"conversations_count":1,"incoming_messages_count":0,"outgoing_messages_count":1,)"
                R"("avg_first_response_time":1800.0,"avg_resolution_time":null,"resolutions_count":0,"reply_time":90.0,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null,)"
                R"("previous":{"conversations_count":0,"incoming_messages_count":0,"outgoing_messages_count":0,)"
                R"("avg_first_response_time":null,"avg_resolution_time":null,"resolutions_count":0,"reply_time":null,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null}})");
}

TEST(Summary, BotSummary) {
    // conversation_bot_resolved on C1, conversation_bot_handoff on C4; nothing before.
    EXPECT_JSON(json_of(admin_get("reports/bot_summary?type=account&" + kRange)),
                R"({"bot_resolutions_count":1,"bot_handoffs_count":1,"previous":{"bot_resolutions_count":0,"bot_handoffs_count":0}})");
}

// ---- entity reports (JSON) --------------------------------------------------------------------------

TEST(Agents, JsonByDefault) {
    // Alice: C1, C4; first response 300; resolution 7200. Bob: C2; first response 1800; reply
    // 90. User 4: nothing. Availability from account_users. The seed's message counts: what the
    // agent sent in range (Alice m2 and the private note m3, Bob m7; agents send no incoming).
    // Beyond Chatwoot's keys: Alice's quantiles of 300 and 7200, no reply; no reopen, 1 resolution
    // -> rate 0; her resolved C1 has one public agent message (m2; m3 is private) -> one-touch 100.
    // Bob: 1800 and 90, no resolution (null rates). User 4: nothing.
    EXPECT_JSON(checked_row_quantiles(json_of(admin_get("reports/agents?" + kRange)),
                                      {quantiles(300, 300, 7200, 7200, NAN, NAN), quantiles(1800, 1800, NAN, NAN, 90, 90),
                                       quantiles(NAN, NAN, NAN, NAN, NAN, NAN)}),
                R"([{"id":1,"name":"Alice Admin","email":"alice@acme.test","thumbnail":"","availability":"online",)"
                R"("conversations_count":2,"resolved_conversations_count":1,"avg_resolution_time":7200.0,)"
                R"("avg_first_response_time":300.0,"avg_reply_time":null,)"
                R"("incoming_messages_count":0,"outgoing_messages_count":2,"resolutions_count":1,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0},)"
                R"({"id":2,"name":"Bob Agent","email":"bob@acme.test","thumbnail":"","availability":"busy",)"
                R"("conversations_count":1,"resolved_conversations_count":0,"avg_resolution_time":null,)"
                R"("avg_first_response_time":1800.0,"avg_reply_time":90.0,)"
                R"("incoming_messages_count":0,"outgoing_messages_count":1,"resolutions_count":0,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null},)"
                R"J({"id":4,"name":"=SUM(1,2)","email":"dan@acme.test","thumbnail":"","availability":"offline",)J"
                R"("conversations_count":0,"resolved_conversations_count":0,"avg_resolution_time":null,)"
                R"("avg_first_response_time":null,"avg_reply_time":null,)"
                R"("incoming_messages_count":0,"outgoing_messages_count":0,"resolutions_count":0,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null}])");
}

TEST(EntityReports, JsonOnRequest) {
    // Messages in range (the CSAT template messages m4, m8 are neither): inbox 1 m1, m5 in and
    // m2, m3 out; inbox 2 m6, m9 in and m7, m10 (bot) out.
    // Quantiles: inbox 1 first response 300, resolution 7200; inbox 2 first response 1800, reply
    // 90. One-touch: inbox 1's resolved C1 has one public agent message -> 100; no reopens.
    EXPECT_JSON(checked_row_quantiles(json_of(admin_get("reports/inboxes?format=json&" + kRange)),
                                      {quantiles(300, 300, 7200, 7200, NAN, NAN), quantiles(1800, 1800, NAN, NAN, 90, 90)}),
                R"([{"id":1,"name":"Website","channel_type":"Channel::WebWidget","conversations_count":2,)"
                R"("resolved_conversations_count":1,"avg_resolution_time":7200.0,"avg_first_response_time":300.0,"avg_reply_time":null,)"
                R"("incoming_messages_count":2,"outgoing_messages_count":2,"resolutions_count":1,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0},)"
                R"({"id":2,"name":"Support Email","channel_type":"Channel::Email","conversations_count":2,)"
                R"("resolved_conversations_count":0,"avg_resolution_time":null,"avg_first_response_time":1800.0,"avg_reply_time":90.0,)"
                R"("incoming_messages_count":2,"outgoing_messages_count":2,"resolutions_count":0,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null}])");
    // Team 1 ("pre-sales"): C1 and C3 and their events; their messages m1, m6 in and m2, m3, m7 out.
    // First responses 300, 1800 -> median 1050, p90 1650; resolution 7200; reply 90; C1 one-touch.
    EXPECT_JSON(checked_row_quantiles(json_of(admin_get("reports/teams.json?" + kRange)),
                                      {quantiles(1050, 1650, 7200, 7200, 90, 90)}),
                R"([{"id":1,"name":"pre-sales","conversations_count":2,"resolved_conversations_count":1,)"
                R"("avg_resolution_time":7200.0,"avg_first_response_time":1050.0,"avg_reply_time":90.0,)"
                R"("incoming_messages_count":2,"outgoing_messages_count":3,"resolutions_count":1,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0}])");
    // Labels: billing = C1 + C3; urgent = C3 (no resolution: 0, not null). Their quantiles as
    // the averages' events: billing 300/1800, 7200, 90; urgent 1800, none, 90 (null, not 0).
    EXPECT_JSON(checked_row_quantiles(json_of(admin_get("reports/labels?format=json&" + kRange)),
                                      {quantiles(1050, 1650, 7200, 7200, 90, 90), quantiles(1800, 1800, NAN, NAN, 90, 90)}),
                R"([{"id":1,"title":"billing","conversations_count":2,"resolved_conversations_count":1,)"
                R"("avg_resolution_time":7200.0,"avg_first_response_time":1050.0,"avg_reply_time":90.0,)"
                R"("reopened_count":0,"reopen_rate":0.0,"one_touch_resolution_rate":100.0},)"
                R"({"id":2,"title":"urgent","conversations_count":1,"resolved_conversations_count":0,)"
                R"("avg_resolution_time":0,"avg_first_response_time":1800.0,"avg_reply_time":90.0,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null}])");
    EXPECT_JSON(json_of(admin_get("reports/conversations_summary?format=json&" + kRange)),
                R"({"conversations_count":4,"incoming_messages_count":4,"outgoing_messages_count":4,)"
                R"("avg_first_response_time":1050.0,"avg_resolution_time":7200.0,"resolutions_count":1,"reply_time":90.0})");
}

// ---- legacy live metrics, bot metrics, distributions -------------------------------------------------

TEST(Conversations, AccountAndAgents) {
    // Open: C2 (unattended: never answered), C3 (unassigned). Chatwoot's pending here is always 0.
    EXPECT_JSON(json_of(admin_get("reports/conversations?type=account")),
                R"({"open":2,"unattended":1,"unassigned":1,"pending":0})");
    // Page 1 sorted by open conversations: Bob (C2) first.
    EXPECT_JSON(json_of(admin_get("reports/conversations?type=agent&page=1")),
                R"([{"id":2,"name":"Bob Agent","email":"bob@acme.test","thumbnail":"","availability":"busy","metric":{"open":1,"unattended":1}},)"
                R"({"id":1,"name":"Alice Admin","email":"alice@acme.test","thumbnail":"","availability":"online","metric":{"open":0,"unattended":0}},)"
                R"J({"id":4,"name":"=SUM(1,2)","email":"dan@acme.test","thumbnail":"","availability":"offline","metric":{"open":0,"unattended":0}}])J");
    EXPECT_JSON(json_of(admin_get("reports/conversations?type=agent&page=2")), "[]");
    EXPECT_EQ(admin_get("reports/conversations?type=inbox").status, 404);
}

TEST(BotMetrics, RatesAreTruncatedIntegers) {
    // Bot inbox 2: C3 and C4 (2 conversations), outgoing m7 and m10; one bot resolution (C1) and
    // one handoff (C4): 1 * 100 / 2 = 50.
    EXPECT_JSON(json_of(admin_get("reports/bot_metrics?" + kRange)),
                R"({"conversation_count":2,"message_count":2,"resolution_rate":50,"handoff_rate":50})");
}

TEST(Distributions, ChatwootFirstResponseTimeByChannel) {
    // No range = every first response of the account: inbox 1 (web) 300 and 1800, inbox 2 (email) 1800.
    EXPECT_JSON(json_of(admin_get("reports/first_response_time_distribution")),
                R"({"Channel::Email":{"0-1h":1,"1-4h":0,"4-8h":0,"8-24h":0,"24h+":0},)"
                R"("Channel::WebWidget":{"0-1h":2,"1-4h":0,"4-8h":0,"8-24h":0,"24h+":0}})");
    EXPECT_JSON(json_of(admin_get("reports/first_response_time_distribution?since=1704153600&until=1704326400")),
                R"({"Channel::Email":{"0-1h":1,"1-4h":0,"4-8h":0,"8-24h":0,"24h+":0}})");
}

TEST(Distributions, SeedResponseTimeDistribution) {
    // 300 -> [300, 900); 1800 and 1800 -> [1800, 3600).
    EXPECT_EQ(json_of(admin_get("reports/response_time_distribution")),
              R"([{"bucket":"0-5min","count":0},{"bucket":"5-15min","count":1},{"bucket":"15-30min","count":0},)"
              R"({"bucket":"30-60min","count":2},{"bucket":"1hr+","count":0}])");
    EXPECT_EQ(json_of(admin_get("reports/response_time_distribution?" + kRange)),
              R"([{"bucket":"0-5min","count":0},{"bucket":"5-15min","count":1},{"bucket":"15-30min","count":0},)"
              R"({"bucket":"30-60min","count":1},{"bucket":"1hr+","count":0}])");
    EXPECT_EQ(json_of(admin_get("reports/response_time_distribution?edges[]=600&edges%5B%5D=1200")),
              R"([{"bucket":"0-10min","count":1},{"bucket":"10-20min","count":0},{"bucket":"20min+","count":2}])");
}

TEST(Matrix, InboxLabelMatrix) {
    // Inboxes by name (Support Email, Website), labels by title; C1 (web) billing, C3 (email)
    // billing + urgent; C6 of account 2 is tagged billing through the same tag and is not counted.
    EXPECT_JSON(json_of(admin_get("reports/inbox_label_matrix")),
                R"({"inboxes":[{"id":2,"name":"Support Email"},{"id":1,"name":"Website"}],)"
                R"("labels":[{"id":1,"title":"billing"},{"id":2,"title":"urgent"}],"matrix":[[1,1],[1,0]]})");
    EXPECT_JSON(json_of(admin_get("reports/inbox_label_matrix?inbox_ids[]=1&label_ids[]=1&label_ids[]=2")),
                R"({"inboxes":[{"id":1,"name":"Website"}],"labels":[{"id":1,"title":"billing"},{"id":2,"title":"urgent"}],"matrix":[[1,0]]})");
    EXPECT_JSON(json_of(admin_get("reports/inbox_label_matrix?since=1704153600&until=1704326400")),
                R"({"inboxes":[{"id":2,"name":"Support Email"},{"id":1,"name":"Website"}],)"
                R"("labels":[{"id":1,"title":"billing"},{"id":2,"title":"urgent"}],"matrix":[[1,1],[0,0]]})");
    // One side filtered away entirely: the other side is still listed, the matrix has no cells.
    EXPECT_JSON(json_of(admin_get("reports/inbox_label_matrix?inbox_ids[]=999")),
                R"({"inboxes":[],"labels":[{"id":1,"title":"billing"},{"id":2,"title":"urgent"}],"matrix":[]})");
    EXPECT_JSON(json_of(admin_get("reports/inbox_label_matrix?label_ids[]=999")),
                R"({"inboxes":[{"id":2,"name":"Support Email"},{"id":1,"name":"Website"}],"labels":[],"matrix":[[],[]]})");
    EXPECT_JSON(json_of(admin_get("reports/inbox_label_matrix?inbox_ids[]=999&label_ids[]=999")),
                R"({"inboxes":[],"labels":[],"matrix":[]})");
}

TEST(Outgoing, GroupedCounts) {
    // Outgoing in the window: m2, m3 (Alice, C1, web), m7 (Bob, C3, email), m10 (bot, C4, email).
    EXPECT_JSON(json_of(admin_get("reports/outgoing_messages_count?group_by=agent&" + kRange)),
                R"([{"id":1,"name":"Alice Admin","outgoing_messages_count":2},{"id":2,"name":"Bob Agent","outgoing_messages_count":1}])");
    EXPECT_JSON(json_of(admin_get("reports/outgoing_messages_count?group_by=inbox&" + kRange)),
                R"([{"id":1,"name":"Website","outgoing_messages_count":2},{"id":2,"name":"Support Email","outgoing_messages_count":2}])");
    EXPECT_JSON(json_of(admin_get("reports/outgoing_messages_count?group_by=team&" + kRange)),
                R"([{"id":1,"name":"pre-sales","outgoing_messages_count":3}])");
    EXPECT_JSON(json_of(admin_get("reports/outgoing_messages_count?group_by=label&" + kRange)),
                R"([{"id":1,"name":"billing","outgoing_messages_count":3},{"id":2,"name":"urgent","outgoing_messages_count":1}])");
}

TEST(Heatmap, CellsByDayAndHour) {
    const auto r = admin_get("reports/heatmap?" + kRange);
    const auto cells = nlohmann::ordered_json::parse(json_of(r));
    ASSERT_EQ(cells.size(), 168u);
    // 2024-01-01 is a Monday: C1 Mon 10h, C2 Tue 9h, C3 Tue 15h, C4 Wed 12h.
    EXPECT_EQ(cells[1 * 24 + 10].dump(), R"({"day":"Monday","dow":1,"hour":10,"count":1})");
    EXPECT_EQ(cells[2 * 24 + 9].dump(), R"({"day":"Tuesday","dow":2,"hour":9,"count":1})");
    EXPECT_EQ(cells[2 * 24 + 15].dump(), R"({"day":"Tuesday","dow":2,"hour":15,"count":1})");
    EXPECT_EQ(cells[3 * 24 + 12].dump(), R"({"day":"Wednesday","dow":3,"hour":12,"count":1})");
    EXPECT_EQ(cells[0].dump(), R"({"day":"Sunday","dow":0,"hour":0,"count":0})");
    long long total = 0;
    for (const auto& c : cells) total += c["count"].get<long long>();
    EXPECT_EQ(total, 4);
    // In Chennai (+5:30) C1 is Monday 15:30 -> hour 15.
    const auto ist = nlohmann::ordered_json::parse(json_of(admin_get("reports/heatmap?timezone=Asia/Kolkata&" + kRange)));
    EXPECT_EQ(ist[1 * 24 + 15]["count"], 1);
    // Resolutions: C1's at Mon 12:00.
    const auto res = nlohmann::ordered_json::parse(json_of(admin_get("reports/heatmap?metric=resolutions_count&" + kRange)));
    EXPECT_EQ(res[1 * 24 + 12]["count"], 1);
}

TEST(Live, SeedLiveStats) {
    // Open C2, C3; unattended C2; unassigned C3; pending C4; agents online/busy/offline: Alice, Bob, user 4.
    EXPECT_JSON(json_of(admin_get("reports/live")),
                R"({"open_conversations":2,"unattended_conversations":1,"unassigned_conversations":1,)"
                R"("pending_conversations":1,"agents_online":1,"agents_busy":1,"agents_offline":1})");
}

// ---- summary_reports and live_reports ------------------------------------------------------------------

TEST(SummaryReports, AgentInboxTeam) {
    EXPECT_JSON(json_of(admin_get("summary_reports/agent?" + kRange)),
                R"([{"id":1,"conversations_count":2,"resolved_conversations_count":1,"avg_resolution_time":7200.0,"avg_first_response_time":300.0,"avg_reply_time":null},)"
                R"({"id":2,"conversations_count":1,"resolved_conversations_count":0,"avg_resolution_time":null,"avg_first_response_time":1800.0,"avg_reply_time":90.0},)"
                R"({"id":4,"conversations_count":0,"resolved_conversations_count":0,"avg_resolution_time":null,"avg_first_response_time":null,"avg_reply_time":null}])");
    EXPECT_JSON(json_of(admin_get("summary_reports/inbox?" + kRange)),
                R"([{"id":1,"conversations_count":2,"resolved_conversations_count":1,"avg_resolution_time":7200.0,"avg_first_response_time":300.0,"avg_reply_time":null},)"
                R"({"id":2,"conversations_count":2,"resolved_conversations_count":0,"avg_resolution_time":null,"avg_first_response_time":1800.0,"avg_reply_time":90.0}])");
    EXPECT_JSON(json_of(admin_get("summary_reports/team?business_hours=1&" + kRange)),
                R"([{"id":1,"conversations_count":2,"resolved_conversations_count":1,"avg_resolution_time":3600.0,"avg_first_response_time":1050.0,"avg_reply_time":60.0}])");
}

TEST(SummaryReports, LabelAndChannel) {
    EXPECT_JSON(json_of(admin_get("summary_reports/label?" + kRange)),
                R"([{"id":1,"name":"billing","conversations_count":2,"avg_resolution_time":7200.0,"avg_first_response_time":1050.0,"avg_reply_time":90.0,"resolved_conversations_count":1},)"
                R"({"id":2,"name":"urgent","conversations_count":1,"avg_resolution_time":0,"avg_first_response_time":1800.0,"avg_reply_time":90.0,"resolved_conversations_count":0}])");
    // Web: C1 resolved, C2 open. Email: C3 open, C4 pending.
    EXPECT_JSON(json_of(admin_get("summary_reports/channel?" + kRange)),
                R"({"Channel::Email":{"open":1,"resolved":0,"pending":1,"snoozed":0,"total":2},)"
                R"("Channel::WebWidget":{"open":1,"resolved":1,"pending":0,"snoozed":0,"total":2}})");
    // Exactly six months (15778476 s) is allowed; one second more is not.
    EXPECT_EQ(admin_get("summary_reports/channel?since=1704067200&until=" + std::to_string(1704067200 + 15778476)).status, 200);
    const auto r = admin_get("summary_reports/channel?since=1704067200&until=" + std::to_string(1704067200 + 15778477));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body, R"({"error":"Date range cannot exceed 6 months"})");
}

TEST(LiveReports, ConversationMetrics) {
    EXPECT_JSON(json_of(admin_get("live_reports/conversation_metrics")),
                R"({"open":2,"unattended":1,"unassigned":1,"pending":1})");
    // Team 1: C1 (resolved) and C3 (open, answered, unassigned).
    EXPECT_JSON(json_of(admin_get("live_reports/conversation_metrics?team_id=1")),
                R"({"open":1,"unattended":0,"unassigned":1,"pending":0})");
    const auto r = admin_get("live_reports/conversation_metrics?team_id=2");  // account 2's team
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":"Resource could not be found"})");
}

TEST(LiveReports, GroupedConversationMetrics) {
    // Open: C2 (Bob, no team, unattended), C3 (nobody, team 1, unassigned). NULL groups first.
    EXPECT_JSON(json_of(admin_get("live_reports/grouped_conversation_metrics?group_by=assignee_id")),
                R"([{"open":1,"unattended":0,"unassigned":1,"assignee_id":null},{"open":1,"unattended":1,"unassigned":0,"assignee_id":2}])");
    EXPECT_JSON(json_of(admin_get("live_reports/grouped_conversation_metrics?group_by=team_id")),
                R"([{"open":1,"unattended":1,"unassigned":0,"team_id":null},{"open":1,"unattended":0,"unassigned":1,"team_id":1}])");
    EXPECT_JSON(json_of(admin_get("live_reports/grouped_conversation_metrics?group_by=team_id&team_id=1")),
                R"([{"open":1,"unattended":0,"unassigned":1,"team_id":1}])");
    // Team 1's open conversations by assignee: only C3 (nobody).
    EXPECT_JSON(json_of(admin_get("live_reports/grouped_conversation_metrics?group_by=assignee_id&team_id=1")),
                R"([{"open":1,"unattended":0,"unassigned":1,"assignee_id":null}])");
    for (const char* bad : {"group_by=inbox_id", ""}) {
        const auto r = admin_get(std::string("live_reports/grouped_conversation_metrics?") + bad);
        EXPECT_EQ(r.status, 422);
        EXPECT_EQ(r.body, R"({"error":"invalid group_by"})");
    }
}

// ---- isolation: account 2's administrator sees only account 2 -----------------------------------------------

TEST(Isolation, OtherAccountSeesItsOwnData) {
    const auto get2 = [](const std::string& path) {
        return http_get(server().url("/api/v2/accounts/2/" + path), {kOther});
    };
    // Its own first response (600, C6) only; C6 is open: no resolution, so no rates.
    EXPECT_JSON(checked_quantiles(get2("reports/summary?" + kRange).body, quantiles(600, 600, NAN, NAN, NAN, NAN),
                                  quantiles(NAN, NAN, NAN, NAN, NAN, NAN)),
                R"({"conversations_count":1,"incoming_messages_count":1,"outgoing_messages_count":1,)"
                R"("avg_first_response_time":600.0,"avg_resolution_time":null,"resolutions_count":0,"reply_time":null,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null,)"
                R"("previous":{"conversations_count":0,"incoming_messages_count":0,"outgoing_messages_count":0,)"
                R"("avg_first_response_time":null,"avg_resolution_time":null,"resolutions_count":0,"reply_time":null,)"
                R"("reopened_count":0,"reopen_rate":null,"one_touch_resolution_rate":null}})");
    // Account 2's "billing" label (id 3) counts only C6, although the tag is shared.
    EXPECT_JSON(get2("summary_reports/label?" + kRange).body,
                R"([{"id":3,"name":"billing","conversations_count":1,"avg_resolution_time":0,"avg_first_response_time":600.0,"avg_reply_time":0,"resolved_conversations_count":0}])");
    // Account 1's inbox is not account 2's.
    EXPECT_EQ(get2("reports?metric=conversations_count&type=inbox&id=1&" + kRange).status, 404);
}
