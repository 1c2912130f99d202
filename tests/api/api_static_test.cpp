// The dashboard's files over HTTP: served without a token, with their types and caching headers,
// while every API route still asks for one (hostile paths: hostile_http.txt and the unit tests).
#include <fstream>
#include <sstream>

#include "api_support.hpp"

using namespace apitest;

namespace {

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST(Static, DashboardFilesNeedNoToken) {
    const auto index = http_get(server().url("/"));
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(index.body, file_text(std::string(SOURCE_DIR) + "/web/index.html"));
    EXPECT_NE(index.header("content-security-policy").find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(index.header("cache-control"), "no-cache");

    const auto js = http_get(server().url("/app.js"));
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.body, file_text(std::string(SOURCE_DIR) + "/web/app.js"));

    const auto yaml = http_get(server().url("/openapi.yaml"));
    EXPECT_EQ(yaml.status, 200);
    EXPECT_EQ(yaml.header("content-type"), "application/yaml; charset=utf-8");
    EXPECT_EQ(yaml.body, file_text(std::string(SOURCE_DIR) + "/docs/openapi.yaml"));

    const auto chart = http_get(server().url("/vendor/chart.js"));
    EXPECT_EQ(chart.status, 200);
    EXPECT_EQ(chart.body, file_text("/usr/share/javascript/chart.js/chart.min.js"));
    EXPECT_NE(chart.body.find("Chart.js v3"), std::string::npos);
}

TEST(Static, ConditionalAndHeadRequests) {
    const auto first = http_get(server().url("/app.js"));
    const std::string etag = first.header("etag");
    ASSERT_FALSE(etag.empty());
    const auto again = http_get(server().url("/app.js"), {"If-None-Match: " + etag});
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(again.body, "");
    // HEAD over a raw connection (libcurl would wait for the body that Content-Length announces).
    const auto head = raw_exchange(server().port(), "HEAD /app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(head.data.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head.data;
    EXPECT_NE(head.data.find("Content-Length: " + std::to_string(first.body.size()) + "\r\n"), std::string::npos);
    const auto end = head.data.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(head.data.size(), end + 4) << "a HEAD answer has no body";
}

TEST(Static, ApiRoutesStillNeedAToken) {
    const auto r = http_get(server().url("/api/v2/accounts/1/reports/summary?" + kRange));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"errors":["You need to sign in or sign up before continuing."]})");
    // A dashboard-looking name under /api/ is an API path, not a file.
    const auto file = http_get(server().url("/api/index.html"));
    EXPECT_EQ(file.status, 404);
    EXPECT_EQ(file.body, R"({"error":"no such route"})");
}

TEST(Static, NoWebRootNoDashboard) {
    ServerProcess plain({"--db", cluster().conninfo(database_name()), "--rollup-interval-s", "0", "--web-root", ""},
                        "api_static_noroot.log");
    const auto r = http_get(plain.url("/"));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":"no such route"})");
    EXPECT_EQ(http_get(plain.url("/openapi.yaml")).status, 200);
    EXPECT_EQ(plain.terminate(), 0);
}
