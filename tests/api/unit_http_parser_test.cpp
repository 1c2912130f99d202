// HTTP/1.1 request framing (api/http_parser.cpp), cases worked out from RFC 9112.
#include <gtest/gtest.h>

#include "http_parser.hpp"

using namespace support_reports::api;
using Kind = ParseOutcome::Kind;

namespace {

ParseOutcome parse(const std::string& s) { return parse_request(s); }

void expect_error(const std::string& s, int status) {
    const auto o = parse(s);
    EXPECT_EQ(o.kind, Kind::Error) << ::testing::PrintToString(s);
    EXPECT_EQ(o.status, status) << ::testing::PrintToString(s) << " " << o.error;
}

}  // namespace

TEST(HttpParser, CompleteGetWithKeepAliveDefaults) {
    const std::string req = "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Y:  z \r\n\r\n";
    const auto o = parse(req + "GET /next");
    ASSERT_EQ(o.kind, Kind::Complete) << o.error;
    EXPECT_EQ(o.consumed, req.size());  // the pipelined rest stays in the buffer
    EXPECT_EQ(o.request.method, "GET");
    EXPECT_EQ(o.request.target, "/a?b=1");
    EXPECT_EQ(o.request.minor_version, 1);
    EXPECT_TRUE(o.request.keep_alive);
    ASSERT_EQ(o.request.headers.size(), 2u);
    EXPECT_EQ(o.request.headers[1].first, "x-y");
    EXPECT_EQ(o.request.headers[1].second, "z");
}

TEST(HttpParser, ConnectionSemantics) {
    EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").request.keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, CLOSE\r\n\r\n").request.keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n").request.keep_alive);  // 1.0 needs no Host
    EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
}

TEST(HttpParser, IncompleteUntilTheLastByte) {
    const std::string req = "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    for (std::size_t n = 0; n < req.size(); ++n)
        EXPECT_EQ(parse(req.substr(0, n)).kind, Kind::Incomplete) << n;
    const auto o = parse(req);
    ASSERT_EQ(o.kind, Kind::Complete);
    EXPECT_EQ(o.request.body, "abc");
}

TEST(HttpParser, ChunkedBody) {
    const auto o = parse("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nT: 1\r\n\r\n");
    ASSERT_EQ(o.kind, Kind::Complete) << o.error;
    EXPECT_EQ(o.request.body, "abc0123456789");
    expect_error("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400);
    expect_error("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n123456789\r\n", 400);
}

TEST(HttpParser, MalformedRequestsFailAsSoonAsTheyAreCertain) {
    expect_error("garbage\r\n", 400);              // no request line shape
    expect_error("GET /x\r\n", 400);               // no version
    expect_error("GET /x HTTP/1.1\n", 400);        // LF only
    expect_error("GET /x HTTP/1.1\r\nHost: x\r\nNoColon\r\n", 400);  // before the head is complete
    expect_error("GET /x HTTP/1.1\r\nHost : x\r\n\r\n", 400);
    expect_error("GET /x HTTP/2.0\r\n", 505);
    expect_error("BREW /x HTTP/1.1\r\n", 501);
    expect_error("GET /x HTTP/1.1\r\n\r\n", 400);  // no Host
    expect_error("\x16\x03\x01\x02", 400);         // a TLS hello on the plain port
    expect_error(std::string(40, 'A'), 400);       // no method is 40 characters long
}

TEST(HttpParser, ContentLengthMustBeDigits) {
    expect_error("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400);
    expect_error("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: garbage\r\n\r\n", 400);
    expect_error("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551617\r\n\r\n", 400);
    expect_error("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n", 413);
    expect_error("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
    EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\nab").kind, Kind::Complete);
}

TEST(HttpParser, SizeLimits) {
    HttpLimits small;
    small.max_head = 64;
    small.max_headers = 2;
    EXPECT_EQ(parse_request("GET /" + std::string(100, 'a'), small).status, 414);
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(100, 'a'), small).status, 431);
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n", small).status, 431);
}

TEST(HttpParser, OriginForm) {
    EXPECT_EQ(origin_form("/a?b"), "/a?b");
    EXPECT_EQ(origin_form("http://host:80/a?b"), "/a?b");
    EXPECT_EQ(origin_form("http://host"), "/");
    EXPECT_EQ(origin_form("https://host?q=1"), "/?q=1");
}
