// Authentication and authorization answers (reference §5), on every route family.
#include "api_support.hpp"

using namespace apitest;

namespace {

const std::vector<std::string> kRoutes = {
    "/api/v2/accounts/1/reports?metric=conversations_count&" + kRange,
    "/api/v2/accounts/1/reports/summary?" + kRange,
    "/api/v2/accounts/1/reports/agents?" + kRange,
    "/api/v2/accounts/1/reports/inboxes?" + kRange,
    "/api/v2/accounts/1/reports/csat",
    "/api/v2/accounts/1/reports/live",
    "/api/v2/accounts/1/summary_reports/agent?" + kRange,
    "/api/v2/accounts/1/live_reports/conversation_metrics",
    "/api/v1/accounts/1/csat_survey_responses",
    "/api/v1/accounts/1/csat_survey_responses/metrics",
    "/api/v1/accounts/1/csat_survey_responses/download",
};

void expect_answer(const HttpResponse& r, long status, const std::string& body, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body;
    EXPECT_EQ(r.body, body) << what;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8") << what;
}

}  // namespace

TEST(Auth, AdministratorPasses) {
    for (const auto& route : kRoutes) EXPECT_EQ(http_get(server().url(route), {kAdmin}).status, 200) << route;
}

TEST(Auth, TokenHeaderSpellings) {
    const std::string route = server().url(kRoutes[1]);
    EXPECT_EQ(http_get(route, {"Api-Access-Token: tok-admin"}).status, 200);
    EXPECT_EQ(http_get(route, {"API_ACCESS_TOKEN: tok-admin"}).status, 200);
}

TEST(Auth, MissingToken) {
    for (const auto& route : kRoutes)
        expect_answer(http_get(server().url(route)), 401,
                      R"({"errors":["You need to sign in or sign up before continuing."]})", route);
    expect_answer(http_get(server().url(kRoutes[0]), {"api_access_token: "}), 401,
                  R"({"errors":["You need to sign in or sign up before continuing."]})", "empty token");
}

TEST(Auth, InvalidToken) {
    for (const auto& route : kRoutes)
        expect_answer(http_get(server().url(route), {"api_access_token: nope"}), 401, R"({"error":"Invalid Access Token"})",
                      route);
    expect_answer(http_get(server().url(kRoutes[0]), {"api_access_token: tok-admin' OR '1'='1"}), 401,
                  R"({"error":"Invalid Access Token"})", "an injection attempt is just a wrong token");
}

TEST(Auth, BotToken) {
    for (const auto& route : kRoutes)
        expect_answer(http_get(server().url(route), {kBot}), 401,
                      R"({"error":"Access to this endpoint is not authorized for bots"})", route);
}

TEST(Auth, UnknownAccount) {
    expect_answer(http_get(server().url("/api/v2/accounts/999/reports/summary?" + kRange), {kAdmin}), 404,
                  R"({"error":"Resource could not be found"})", "account 999");
    expect_answer(http_get(server().url("/api/v2/accounts/99999999999/reports/summary?" + kRange), {kAdmin}), 404,
                  R"({"error":"Resource could not be found"})", "an id beyond int");
    const auto abc = http_get(server().url("/api/v2/accounts/abc/reports/summary?" + kRange), {kAdmin});
    EXPECT_EQ(abc.status, 400);
    EXPECT_EQ(nlohmann::json::parse(abc.body)["parameter"], "account_id");
}

TEST(Auth, SuspendedAccount) {
    // Alice is an administrator of account 3, which is suspended.
    expect_answer(http_get(server().url("/api/v2/accounts/3/reports/summary?" + kRange), {kAdmin}), 401,
                  R"({"error":"Account is suspended"})", "account 3");
}

TEST(Auth, NotAMember) {
    for (const auto& route : kRoutes)
        expect_answer(http_get(server().url(route), {kOther}), 401,
                      R"({"error":"You are not authorized to access this account"})", route);
}

TEST(Auth, MemberWithoutAdministratorRole) {
    for (const auto& route : kRoutes)
        expect_answer(http_get(server().url(route), {kAgent}), 401, R"({"error":"You are not authorized to do this action"})",
                      route);
}

TEST(Auth, LiveReportsValidateBeforeAuthorizing) {
    // Chatwoot loads the team and checks group_by before its policy check.
    expect_answer(http_get(server().url("/api/v2/accounts/1/live_reports/grouped_conversation_metrics?group_by=x"), {kAgent}),
                  422, R"({"error":"invalid group_by"})", "agent, bad group_by");
    expect_answer(http_get(server().url("/api/v2/accounts/1/live_reports/conversation_metrics?team_id=2"), {kAgent}), 404,
                  R"({"error":"Resource could not be found"})", "agent, foreign team");
    expect_answer(http_get(server().url("/api/v2/accounts/1/live_reports/conversation_metrics?team_id=1"), {kAgent}), 401,
                  R"({"error":"You are not authorized to do this action"})", "agent, valid team");
}

TEST(Auth, HealthNeedsNoToken) {
    const auto r = http_get(server().url("/health"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok","database":"ok"})");
}

TEST(Auth, UnknownRoutesAndMethods) {
    const auto unknown = http_get(server().url("/api/v2/accounts/1/reports/nope"), {kAdmin});
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.body, R"({"error":"no such route"})");
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
        const auto r = http(method, server().url("/api/v2/accounts/1/reports/summary"), {kAdmin});
        EXPECT_EQ(r.status, 405) << method;
        EXPECT_EQ(r.header("allow"), "GET") << method;
    }
}
