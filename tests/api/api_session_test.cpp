// The dashboard's session sign-in (devise_token_auth 1.2.5 headers checked against users.tokens),
// with tokens written the way Chatwoot writes them: bcrypt cost 10 ($2a$10$), the hash inside a
// JSON string in the json column, expiry in unix seconds (shared/reference/chatwoot-dropin.md §1).
#include <ctime>

#include "api_support.hpp"

using namespace apitest;
using nlohmann::json;

namespace {

// SecureRandom.urlsafe_base64-like tokens (22 characters).
const std::string kAliceToken = "Qm9vdHN0cmFwLXRva2VuLQ";
const std::string kExpiredToken = "ZXhwaXJlZC10b2tlbi0wMQ";
const std::string kPreviousToken = "cHJldmlvdXMtdG9rZW4tMQ";
const std::string kLastToken = "bGFzdC10b2tlbi1idWZmZXI";
const std::string kStaleToken = "c3RhbGUtbGFzdC10b2tlbg";
const std::string kBobToken = "Ym9iLWFnZW50LXRva2VuLTE";
const std::string kCarolToken = "Y2Fyb2wtb3RoZXItYWNjdDI";
const std::string kDanToken = "ZGFuLXJlcG9ydGVyLXJvbGU";

const std::string kUnauthenticated = R"({"errors":["You need to sign in or sign up before continuing."]})";

long long now() { return static_cast<long long>(std::time(nullptr)); }

std::string iso_utc(long long t) {
    char buf[32];
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return buf;
}

const std::vector<std::string> kRoutes = {
    "/api/v2/accounts/1/reports?metric=conversations_count&" + kRange,
    "/api/v2/accounts/1/reports/summary?" + kRange,
    "/api/v2/accounts/1/reports/inboxes?" + kRange,
    "/api/v2/accounts/1/summary_reports/agent?" + kRange,
    "/api/v2/accounts/1/live_reports/conversation_metrics",
    "/api/v1/accounts/1/csat_survey_responses/metrics",
};

void expect_answer(const HttpResponse& r, long status, const std::string& body, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body;
    EXPECT_EQ(r.body, body) << what;
}

class Session : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const long long in_two_months = now() + 61 * 86400;
        const long long a_day_ago = now() - 86400;
        // Alice: a fresh login, an expired device, a rotated token (previous_token), and the
        // batch-request buffer (last_token, updated just now / an hour ago).
        set_user_tokens(1, json{{"c-alice", {{"token", bcrypt_hash(kAliceToken)}, {"expiry", in_two_months}}},
                                {"c-old", {{"token", bcrypt_hash(kExpiredToken)}, {"expiry", a_day_ago}}},
                                {"c-prev",
                                 {{"token", bcrypt_hash("the-current-token-of-c-prev")},
                                  {"previous_token", bcrypt_hash(kPreviousToken)},
                                  {"expiry", in_two_months}}},
                                {"c-last",
                                 {{"token", bcrypt_hash("the-current-token-of-c-last")},
                                  {"last_token", bcrypt_hash(kLastToken)},
                                  {"updated_at", iso_utc(now())},
                                  {"expiry", a_day_ago}}},
                                {"c-stale",
                                 {{"token", bcrypt_hash("the-current-token-of-c-stale")},
                                  {"last_token", bcrypt_hash(kStaleToken)},
                                  {"updated_at", iso_utc(now() - 3600)},
                                  {"expiry", a_day_ago}}}});
        set_user_tokens(2, json{{"c-bob", {{"token", bcrypt_hash(kBobToken)}, {"expiry", in_two_months}}}});
        set_user_tokens(3, json{{"c-carol", {{"token", bcrypt_hash(kCarolToken)}, {"expiry", in_two_months}}}});
        // Dan (an agent of account 1) has a custom role with report_manage; his tokens are a plain
        // JSON object, as rows written before the gem's double encoding may be.
        set_user_tokens(4, json{{"c-dan", {{"token", bcrypt_hash(kDanToken)}, {"expiry", in_two_months}}}}, true);
        exec_sql("INSERT INTO custom_roles (id, name, account_id, permissions, created_at, updated_at) VALUES "
                 "(1, 'Reporter', 1, '{report_manage}', now(), now()), "
                 "(2, 'Reporter elsewhere', 2, '{report_manage}', now(), now()) ON CONFLICT (id) DO NOTHING; "
                 "UPDATE account_users SET custom_role_id = 1 WHERE id = 4");
    }
    static void TearDownTestSuite() {
        exec_sql("UPDATE users SET tokens = NULL; UPDATE account_users SET custom_role_id = NULL; "
                 "DELETE FROM custom_roles WHERE id IN (1, 2)");
    }
};

}  // namespace

TEST_F(Session, ValidTokenReadsEveryRouteFamily) {
    for (const auto& route : kRoutes) {
        const auto r = http_get(server().url(route), session_headers("alice", "c-alice", kAliceToken));
        EXPECT_EQ(r.status, 200) << route << ": " << r.body;
    }
    // The same numbers as with the API token.
    const std::string summary = server().url(kRoutes[1]);
    EXPECT_EQ(http_get(summary, session_headers("alice", "c-alice", kAliceToken)).body,
              http_get(summary, {kAdmin}).body);
}

TEST_F(Session, ExpiredToken) {
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("alice", "c-old", kExpiredToken)), 401,
                  kUnauthenticated, "expired");
    // The request's own expiry header is ignored, as devise_token_auth ignores it.
    expect_answer(http_get(server().url(kRoutes[1]),
                           session_headers("alice", "c-old", kExpiredToken, now() + 365 * 86400)),
                  401, kUnauthenticated, "expired, with a future expiry header");
}

TEST_F(Session, WrongClient) {
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("alice", "c-nope", kAliceToken)), 401,
                  kUnauthenticated, "unknown client");
    // Another client's valid token does not open this client.
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("alice", "c-prev", kAliceToken)), 401,
                  kUnauthenticated, "token of another client");
    // No client header means "default", which Alice does not have.
    expect_answer(http_get(server().url(kRoutes[1]), {"access-token: " + kAliceToken, "uid: alice"}), 401,
                  kUnauthenticated, "default client");
}

TEST_F(Session, WrongToken) {
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("alice", "c-alice", "Qm9vdHN0cmFwLXRva2VuLR")),
                  401, kUnauthenticated, "one character off");
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("bob", "c-alice", kAliceToken)), 401,
                  kUnauthenticated, "Alice's token under Bob's uid");
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("nobody", "c-alice", kAliceToken)), 401,
                  kUnauthenticated, "unknown uid");
    // The stored hash itself is not a token.
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("alice", "c-alice", "$2a$10$abc")), 401,
                  kUnauthenticated, "a hash as token");
}

TEST_F(Session, MissingParts) {
    expect_answer(http_get(server().url(kRoutes[1]), {"client: c-alice", "uid: alice"}), 401, kUnauthenticated,
                  "no access-token");
    expect_answer(http_get(server().url(kRoutes[1]), {"access-token: " + kAliceToken, "client: c-alice"}), 401,
                  kUnauthenticated, "no uid");
    expect_answer(http_get(server().url(kRoutes[1]), {"access-token: ", "client: c-alice", "uid: alice"}), 401,
                  kUnauthenticated, "blank access-token");
}

TEST_F(Session, AgentIsNotAllowedReports) {
    for (const auto& route : kRoutes) {
        expect_answer(http_get(server().url(route), session_headers("bob", "c-bob", kBobToken)), 401,
                      R"({"error":"You are not authorized to do this action"})", route);
    }
}

TEST_F(Session, CustomRoleWithReportManage) {
    const auto r = http_get(server().url(kRoutes[1]), session_headers("dan", "c-dan", kDanToken));
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(Session, AnotherAccountsUser) {
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("carol", "c-carol", kCarolToken)), 401,
                  R"({"error":"You are not authorized to access this account"})", "Carol on account 1");
    EXPECT_EQ(http_get(server().url("/api/v2/accounts/2/reports/summary?" + kRange),
                       session_headers("carol", "c-carol", kCarolToken))
                  .status,
              200);
    // Signed in, but account 3 is suspended and 999 does not exist.
    expect_answer(http_get(server().url("/api/v2/accounts/3/reports/summary?" + kRange),
                           session_headers("alice", "c-alice", kAliceToken)),
                  401, R"({"error":"Account is suspended"})", "suspended");
    expect_answer(http_get(server().url("/api/v2/accounts/999/reports/summary?" + kRange),
                           session_headers("alice", "c-alice", kAliceToken)),
                  404, R"({"error":"Resource could not be found"})", "unknown account");
}

TEST_F(Session, PreviousAndBufferedTokens) {
    EXPECT_EQ(http_get(server().url(kRoutes[1]), session_headers("alice", "c-prev", kPreviousToken)).status, 200);
    // last_token counts only within 5 s of the entry's updated_at (expiry does not matter there).
    EXPECT_EQ(http_get(server().url(kRoutes[1]), session_headers("alice", "c-last", kLastToken)).status, 200);
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("alice", "c-stale", kStaleToken)), 401,
                  kUnauthenticated, "last_token, an hour old");
}

TEST_F(Session, ApiTokenHeaderWins) {
    // With api_access_token present the session headers are not looked at.
    auto headers = session_headers("alice", "c-alice", kAliceToken);
    headers.push_back("api_access_token: nope");
    expect_answer(http_get(server().url(kRoutes[1]), headers), 401, R"({"error":"Invalid Access Token"})",
                  "bad API token beside a valid session");
}

TEST_F(Session, OtherSpellingsOfTheCredentials) {
    // Authorization: Bearer base64({"access-token","token-type","client","expiry","uid"})
    const json bearer{{"access-token", kAliceToken}, {"token-type", "Bearer"}, {"client", "c-alice"},
                      {"expiry", std::to_string(now() + 86400)}, {"uid", "alice"}};
    static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string raw = bearer.dump();
    std::string b64;
    for (std::size_t i = 0; i < raw.size(); i += 3) {
        unsigned n = static_cast<unsigned char>(raw[i]) << 16;
        if (i + 1 < raw.size()) n |= static_cast<unsigned char>(raw[i + 1]) << 8;
        if (i + 2 < raw.size()) n |= static_cast<unsigned char>(raw[i + 2]);
        b64 += kAlphabet[(n >> 18) & 63];
        b64 += kAlphabet[(n >> 12) & 63];
        b64 += i + 1 < raw.size() ? kAlphabet[(n >> 6) & 63] : '=';
        b64 += i + 2 < raw.size() ? kAlphabet[n & 63] : '=';
    }
    EXPECT_EQ(http_get(server().url(kRoutes[1]), {"Authorization: Bearer " + b64}).status, 200);
    expect_answer(http_get(server().url(kRoutes[1]), {"Authorization: Bearer not-base64!"}), 401, kUnauthenticated,
                  "garbage bearer");
    // Query parameters, as devise_token_auth falls back to them.
    EXPECT_EQ(http_get(server().url(kRoutes[1] + "&access-token=" + kAliceToken + "&client=c-alice&uid=alice")).status,
              200);
    // Header names in any case, and Rack's underscore spelling.
    EXPECT_EQ(http_get(server().url(kRoutes[1]),
                       {"Access-Token: " + kAliceToken, "Client: c-alice", "UID: alice"})
                  .status,
              200);
    EXPECT_EQ(http_get(server().url(kRoutes[1]), {"access_token: " + kAliceToken, "client: c-alice", "uid: alice"})
                  .status,
              200);
}

TEST_F(Session, MalformedTokensColumnIsUnauthenticated) {
    // A users.tokens string that does not hold JSON, and an entry with a bad updated_at.
    exec_sql("UPDATE users SET tokens = to_json('not json'::text) WHERE id = 2");
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("bob", "c-bob", kBobToken)), 401, kUnauthenticated,
                  "tokens not JSON");
    set_user_tokens(2, json{{"c-bob",
                             {{"token", "garbage"}, {"last_token", "x"}, {"updated_at", "2024-13-45"}, {"expiry", "soon"}}}});
    expect_answer(http_get(server().url(kRoutes[1]), session_headers("bob", "c-bob", kBobToken)), 401, kUnauthenticated,
                  "entry with bad values");
    set_user_tokens(2, json{{"c-bob", {{"token", bcrypt_hash(kBobToken)}, {"expiry", now() + 86400}}}});
}

TEST_F(Session, AgentsDownloadIsChatwootsCsvForTheDashboard) {
    const std::string url = server().url("/api/v2/accounts/1/reports/agents?" + kRange);
    auto dashboard = session_headers("alice", "c-alice", kAliceToken);
    dashboard.push_back("Accept: application/json, text/plain, */*");
    const auto csv = http_get(url, dashboard);
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("content-type"), "text/csv");
    EXPECT_EQ(csv.header("content-disposition"), "attachment; filename=agents_report.csv");
    EXPECT_EQ(csv.body,
              "Reporting period 2024-01-01 to 2024-01-04\n\n\n"
              "Agent name,Assigned conversations,Avg first response time,Avg resolution time,Avg customer waiting "
              "time,Resolution Count\n"
              "Alice Admin,2,5 minutes,2 hours,N/A,1\n"
              "Bob Agent,1,30 minutes,N/A,1 minute 30 seconds,0\n"
              "\"'=SUM(1,2)\",0,N/A,N/A,N/A,0\n");
    // An API client with the same Accept header keeps the seed's JSON.
    const auto api = http_get(url, {kAdmin, "Accept: application/json, text/plain, */*"});
    EXPECT_EQ(api.status, 200);
    EXPECT_EQ(api.header("content-type"), "application/json; charset=utf-8");
    EXPECT_TRUE(json::parse(api.body).is_array()) << api.body;
    // An explicit format wins either way.
    auto session_json = dashboard;
    EXPECT_EQ(http_get(url + "&format=json", session_json).header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(http_get(url + "&format=csv", {kAdmin}).body, csv.body);
}

TEST_F(Session, HashesMadeByAnotherBcrypt) {
    // pgcrypto's own blowfish (not libxcrypt) writes Carol's hash, as an independent check that the
    // server reads $2a$10$ hashes as any bcrypt writes them. Rails-style double encoding, in SQL.
    exec_sql("CREATE EXTENSION IF NOT EXISTS pgcrypto");
    exec_sql("UPDATE users SET tokens = to_json(json_build_object('c-carol', json_build_object("
             "'token', crypt('" + kCarolToken + "', gen_salt('bf', 10)), "
             "'expiry', extract(epoch FROM now() + interval '2 months')::bigint))::text) WHERE id = 3");
    const std::string url = server().url("/api/v2/accounts/2/reports/summary?" + kRange);
    EXPECT_EQ(http_get(url, session_headers("carol", "c-carol", kCarolToken)).status, 200);
    expect_answer(http_get(url, session_headers("carol", "c-carol", kAliceToken)), 401, kUnauthenticated,
                  "wrong token against a pgcrypto hash");
}
