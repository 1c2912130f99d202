// CSV downloads, byte for byte, and the format negotiation of each route.
#include <ctime>
#include <set>

#include "api_support.hpp"

using namespace apitest;

namespace {

HttpResponse admin_get(const std::string& path, std::vector<std::string> headers = {}) {
    headers.push_back(kAdmin);
    return http_get(server().url("/api/v2/accounts/1/" + path), headers);
}

void expect_csv(const HttpResponse& r, const std::string& filename, const std::string& body) {
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/csv");
    EXPECT_EQ(r.header("content-disposition"), "attachment; filename=" + filename + ".csv");
    EXPECT_EQ(r.body, body);
}

const std::string kPeriod = "Reporting period 2024-01-01 to 2024-01-04\n\n\n";

// Durations: 300 s = "5 minutes", 1800 = "30 minutes", 1050 = "17 minutes 30 seconds",
// 7200 = "2 hours", 90 = "1 minute 30 seconds"; none = "N/A".
const std::string kAgentsCsv = kPeriod +
    "Agent name,Assigned conversations,Avg first response time,Avg resolution time,Avg customer waiting time,Resolution Count\n"
    "Alice Admin,2,5 minutes,2 hours,N/A,1\n"
    "Bob Agent,1,30 minutes,N/A,1 minute 30 seconds,0\n"
    "\"'=SUM(1,2)\",0,N/A,N/A,N/A,0\n";  // a formula: guarded, then quoted for its comma

}  // namespace

TEST(Csv, AgentsOnRequest) {
    expect_csv(admin_get("reports/agents?format=csv&" + kRange), "agents_report", kAgentsCsv);
    expect_csv(admin_get("reports/agents.csv?" + kRange), "agents_report", kAgentsCsv);
    expect_csv(admin_get("reports/agents?" + kRange, {"Accept: text/csv"}), "agents_report", kAgentsCsv);
    // JSON stays the default, also for a dashboard-style Accept header.
    EXPECT_EQ(admin_get("reports/agents?" + kRange, {"Accept: application/json, text/plain, */*"}).header("content-type"),
              "application/json; charset=utf-8");
}

TEST(Csv, Inboxes) {
    // Chatwoot's layout: five headers, seven values (name, type, conversations, first response,
    // resolution, reply, resolutions).
    const std::string body = kPeriod +
        "Inbox name,Inbox type,No. of conversations,Avg first response time,Avg resolution time\n"
        "Website,Website,2,5 minutes,2 hours,N/A,1\n"
        "Support Email,Email,2,30 minutes,N/A,1 minute 30 seconds,0\n";
    expect_csv(admin_get("reports/inboxes?" + kRange), "inboxes_report", body);
    // The dashboard's axios Accept header must not turn the download into JSON.
    expect_csv(admin_get("reports/inboxes?" + kRange, {"Accept: application/json, text/plain, */*"}), "inboxes_report", body);
}

TEST(Csv, LabelsAndTeams) {
    expect_csv(admin_get("reports/labels?" + kRange), "labels_report",
               kPeriod +
                   "Label,No. of conversations,Avg first response time,Avg resolution time,Avg reply time,Resolution Count\n"
                   "billing,2,17 minutes 30 seconds,2 hours,1 minute 30 seconds,1\n"
                   "urgent,1,30 minutes,N/A,1 minute 30 seconds,0\n");
    // "pre-sales" has a hyphen inside, not at the start: no guard.
    expect_csv(admin_get("reports/teams?" + kRange), "teams_report",
               kPeriod +
                   "Team name,Conversations count,Avg first response time,Avg resolution time,Avg customer waiting time,Resolution Count\n"
                   "pre-sales,2,17 minutes 30 seconds,2 hours,1 minute 30 seconds,1\n");
}

TEST(Csv, ConversationsSummary) {
    expect_csv(admin_get("reports/conversations_summary?" + kRange), "conversations_summary_report",
               kPeriod +
                   "Conversations,Messages received,Messages sent,Avg first response time,Avg resolution time,Resolution count,Avg customer waiting time\n"
                   "4,4,4,17 minutes 30 seconds,2 hours,1,1 minute 30 seconds\n");
    // Business hours: resolution 3600 s = "1 hour", reply 60 s = "1 minute".
    expect_csv(admin_get("reports/conversations_summary?business_hours=true&" + kRange), "conversations_summary_report",
               kPeriod +
                   "Conversations,Messages received,Messages sent,Avg first response time,Avg resolution time,Resolution count,Avg customer waiting time\n"
                   "4,4,4,17 minutes 30 seconds,1 hour,1,1 minute\n");
}

TEST(Csv, CsatDownload) {
    // Newest first; the link uses --frontend-url (given with a trailing slash); "=1+1" and
    // "-Mallory" are guarded, "+15551234567" is a plain number and is not; the feedback with a
    // comma is quoted; the period comes last.
    const std::string body =
        "Agent Name,Rating,Feedback Comment,Contact Name,Contact Email Address,Contact Phone Number,Link to the conversation,Recorded date\n"
        "Bob Agent (bob@acme.test),2,'=1+1,'-Mallory,,,https://chat.example.test/app/accounts/1/conversations/3,2024-01-02 17:30:00 UTC\n"
        "Alice Admin (alice@acme.test),5,\"Great, thanks!\",Eve Customer,eve@example.com,+15551234567,"
        "https://chat.example.test/app/accounts/1/conversations/1,2024-01-01 12:30:00 UTC\n"
        "Reporting period 2024-01-01 to 2024-01-04\n";
    const auto r = http_get(server().url("/api/v1/accounts/1/csat_survey_responses/download?sort=-created_at&" + kRange),
                            {kAdmin});
    expect_csv(r, "csat_report", body);
    // Oldest first, one agent, and no period line without since/until.
    const auto one = http_get(server().url("/api/v1/accounts/1/csat_survey_responses/download?sort=created_at&user_ids[]=1"),
                              {kAdmin});
    expect_csv(one, "csat_report",
               "Agent Name,Rating,Feedback Comment,Contact Name,Contact Email Address,Contact Phone Number,Link to the conversation,Recorded date\n"
               "Alice Admin (alice@acme.test),5,\"Great, thanks!\",Eve Customer,eve@example.com,+15551234567,"
               "https://chat.example.test/app/accounts/1/conversations/1,2024-01-01 12:30:00 UTC\n");
    const auto json = http_get(server().url("/api/v1/accounts/1/csat_survey_responses/download?format=json&rating=2"), {kAdmin});
    EXPECT_JSON(json.body,
                R"J([{"agent":"Bob Agent (bob@acme.test)","rating":2,"feedback_message":"=1+1","contact_name":"-Mallory",)J"
                R"J("contact_email":null,"contact_phone_number":null,"conversation_url":"https://chat.example.test/app/accounts/1/conversations/3",)J"
                R"J("created_at":1704216600}])J");
}

namespace {

std::string utc_date_of(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace

TEST(Csv, ConversationTraffic) {
    // The fixture's C7 was created yesterday at 10:00 UTC; the report covers the days_before whole
    // UTC days before today.
    const std::time_t now = std::time(nullptr);
    const std::time_t today = now - now % 86400;
    const std::string yesterday = utc_date_of(today - 86400);

    // Offset 0 -> Casablanca by standard offset. Its hours are whole UTC hours: one column per
    // day (D-2, D-1), hours 00..23 in order, C7 at 10:00 of D-1.
    {
        std::string expected = "Timezone,(GMT+00:00) Casablanca\n\n\nStart of the hour," + utc_date_of(today - 2 * 86400) +
                               "," + yesterday + "\n";
        for (int h = 0; h < 24; ++h) {
            char line[32];
            std::snprintf(line, sizeof line, "%02d:00,0,%d\n", h, h == 10 ? 1 : 0);
            expected += line;
        }
        const auto r = admin_get("reports/conversation_traffic?timezone_offset=0&days_before=2");
        if (std::time(nullptr) / 86400 != now / 86400) GTEST_SKIP() << "the UTC day changed during the test";
        expect_csv(r, "conversation_traffic_reports", expected);
    }
    // 5.5 -> Chennai. Local hours start at :30 UTC, so the first bucket (05:00 IST) is 23:30 UTC
    // of the day before the range: hour "23:00" appears first, and that day has only that hour.
    // C7 (10:00 UTC) falls in the bucket starting 09:30 UTC -> "09:00" of D-1.
    {
        const std::string d0 = utc_date_of(today - 2 * 86400), d1 = utc_date_of(today - 86400);
        std::string expected = "Timezone,(GMT+05:30) Chennai\n\n\nStart of the hour," + d0 + "," + d1 + "\n";
        expected += "23:00,0,0\n";
        for (int h = 0; h < 23; ++h) {
            char line[32];
            std::snprintf(line, sizeof line, "%02d:00,,%d\n", h, h == 9 ? 1 : 0);
            expected += line;
        }
        const auto r = admin_get("reports/conversation_traffic?timezone_offset=5.5&days_before=1");
        if (std::time(nullptr) / 86400 != now / 86400) GTEST_SKIP() << "the UTC day changed during the test";
        expect_csv(r, "conversation_traffic_reports", expected);
    }
    const auto json = admin_get("reports/conversation_traffic?timezone_offset=0&days_before=1&format=json");
    const auto j = nlohmann::json::parse(json.body);
    EXPECT_EQ(j["timezone"], "(GMT+00:00) Casablanca");
    EXPECT_EQ(j["hours"][10]["values"][0], 1);
    // Chatwoot requires timezone_offset.
    const auto missing = admin_get("reports/conversation_traffic");
    EXPECT_EQ(missing.status, 422);
    EXPECT_JSON(missing.body, R"({"error":"invalid parameter","parameter":"timezone_offset","message":"timezone_offset is required"})");
}

TEST(Csv, ErrorsStayJson) {
    const auto r = admin_get("reports/inboxes");  // no since/until
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_JSON(r.body, R"({"error":"invalid parameter","parameter":"since","message":"invalid since: must not be NULL"})");
}
