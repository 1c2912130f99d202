// Parameter parsing, without a server. Expected values are worked out by hand from the rules in
// the reference (Rails' boolean cast, Chatwoot's since/until) and RFC 3986.
#include <gtest/gtest.h>

#include <functional>

#include "params.hpp"

using namespace support_reports::api;

namespace {

int status_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ParamError& e) {
        return e.status();
    }
    return 0;
}

std::string parameter_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ParamError& e) {
        return e.parameter();
    }
    return "";
}

}  // namespace

TEST(QueryParams, KeepsRepeatedKeysInOrder) {
    const auto q = QueryParams::parse("user_ids[]=1&user_ids[]=2&rating=5&user_ids%5B%5D=3");
    EXPECT_EQ(q.get_all("user_ids"), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(q.get_all("rating"), (std::vector<std::string>{"5"}));
    EXPECT_EQ(q.get("rating"), "5");
}

TEST(QueryParams, DecodesPercentAndPlus) {
    const auto q = QueryParams::parse("timezone=America%2FNew_York&name=a+b&x=%41%62");
    EXPECT_EQ(q.get("timezone"), "America/New_York");
    EXPECT_EQ(q.get("name"), "a b");
    EXPECT_EQ(q.get("x"), "Ab");
}

TEST(QueryParams, EmptyValuesCountAsAbsent) {
    const auto q = QueryParams::parse("since=&flag&until=5&&");
    EXPECT_FALSE(q.get("since"));
    EXPECT_FALSE(q.has("flag"));
    EXPECT_EQ(q.get("until"), "5");
    EXPECT_TRUE(QueryParams::parse("").pairs().empty());
    EXPECT_TRUE(QueryParams::parse("user_ids[]=").get_all("user_ids").empty());
}

TEST(QueryParams, RejectsMalformedEscapesNulAndBadUtf8) {
    EXPECT_EQ(status_of([] { QueryParams::parse("metric=%zz"); }), 400);
    EXPECT_EQ(parameter_of([] { QueryParams::parse("metric=%zz"); }), "metric");
    EXPECT_EQ(status_of([] { QueryParams::parse("metric=abc%4"); }), 400);
    EXPECT_EQ(status_of([] { QueryParams::parse("metric=a%00b"); }), 400);
    EXPECT_EQ(status_of([] { QueryParams::parse("metric=%C3%28"); }), 400);
    EXPECT_EQ(status_of([] { QueryParams::parse("metric=%ED%A0%80"); }), 400);  // a UTF-16 surrogate
    EXPECT_EQ(status_of([] { QueryParams::parse("name=%C3%A9t%C3%A9"); }), 0);  // "été"
}

TEST(QueryParams, RedactsTheAccessToken) {
    EXPECT_EQ(redact_query("since=1&api_access_token=secret&until=2"), "since=1&until=2");
    EXPECT_EQ(redact_query("API_ACCESS_TOKEN=secret"), "");
    EXPECT_EQ(redact_query("api-access-token=secret&a=1"), "a=1");
    EXPECT_EQ(redact_query("api%5Faccess%5Ftoken=secret&a=1"), "a=1");
    EXPECT_EQ(redact_query("a=1&b=2"), "a=1&b=2");
    // devise_token_auth's query fallback: the session token is a secret too (client and uid are not).
    EXPECT_EQ(redact_query("access-token=secret&client=c&uid=u"), "client=c&uid=u");
    EXPECT_EQ(redact_query("a=1&Access_Token=secret"), "a=1");
}

TEST(UnixSeconds, AcceptsIntegersAndTruncatesFractions) {
    EXPECT_EQ(parse_unix_seconds("since", "1704067200"), 1704067200);
    EXPECT_EQ(parse_unix_seconds("since", "0"), 0);
    EXPECT_EQ(parse_unix_seconds("since", "1.9"), 1);  // Chatwoot: DateTime.strptime("1.9", "%s") = 1
    EXPECT_EQ(parse_unix_seconds("since", "+5"), 5);
}

TEST(UnixSeconds, RejectsTextAndOutOfRange) {
    EXPECT_EQ(status_of([] { parse_unix_seconds("since", "abc"); }), 400);
    EXPECT_EQ(status_of([] { parse_unix_seconds("since", "12abc"); }), 400);
    EXPECT_EQ(status_of([] { parse_unix_seconds("since", ""); }), 400);
    EXPECT_EQ(status_of([] { parse_unix_seconds("since", "1e9"); }), 400);
    EXPECT_EQ(status_of([] { parse_unix_seconds("until", "-5"); }), 422);
    EXPECT_EQ(status_of([] { parse_unix_seconds("until", "253402300800"); }), 422);
    EXPECT_EQ(status_of([] { parse_unix_seconds("until", "99999999999999999999999"); }), 422);
    EXPECT_EQ(parameter_of([] { parse_unix_seconds("until", "x"); }), "until");
}

TEST(Ids, OnlyPositiveIntegers) {
    EXPECT_EQ(parse_id("id", "42"), 42);
    EXPECT_EQ(status_of([] { parse_id("id", "0"); }), 400);
    EXPECT_EQ(status_of([] { parse_id("id", "-1"); }), 400);
    EXPECT_EQ(status_of([] { parse_id("id", "1.5"); }), 400);
    EXPECT_EQ(status_of([] { parse_id("id", "12abc"); }), 400);  // Pistache's as<int>() would say 12
    EXPECT_EQ(status_of([] { parse_id("id", "99999999999999999999"); }), 400);
    EXPECT_EQ(parse_id_list("user_ids[]", {"1", "3"}), (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(parameter_of([] { parse_id_list("user_ids[]", {"1", "x"}); }), "user_ids[]");
}

TEST(Integers, BoundedRange) {
    EXPECT_EQ(parse_int_in("page", "3", 1, 10), 3);
    EXPECT_EQ(parse_int_in("page", "-2", -5, 10), -2);
    EXPECT_EQ(status_of([] { parse_int_in("page", "11", 1, 10); }), 422);
    EXPECT_EQ(status_of([] { parse_int_in("page", "x", 1, 10); }), 400);
}

TEST(RailsBoolean, FollowsActiveModelCast) {
    EXPECT_FALSE(parse_rails_bool(std::nullopt));
    EXPECT_FALSE(parse_rails_bool(std::string("")));
    for (const char* f : {"0", "f", "F", "false", "FALSE", "off", "OFF"}) EXPECT_FALSE(parse_rails_bool(std::string(f))) << f;
    for (const char* t : {"1", "t", "true", "TRUE", "on", "yes", "False", " ", "anything"})
        EXPECT_TRUE(parse_rails_bool(std::string(t))) << t;
}

TEST(TimezoneOffset, HoursToSeconds) {
    EXPECT_EQ(parse_offset_seconds("timezone_offset", "5.5"), 19800);
    EXPECT_EQ(parse_offset_seconds("timezone_offset", "-3.5"), -12600);
    EXPECT_EQ(parse_offset_seconds("timezone_offset", "5.75"), 20700);
    EXPECT_EQ(parse_offset_seconds("timezone_offset", "0"), 0);
    EXPECT_EQ(parse_offset_seconds("timezone_offset", "-8"), -28800);
    EXPECT_EQ(status_of([] { parse_offset_seconds("timezone_offset", "abc"); }), 400);
    EXPECT_EQ(status_of([] { parse_offset_seconds("timezone_offset", "nan"); }), 400);
    EXPECT_EQ(status_of([] { parse_offset_seconds("timezone_offset", "15"); }), 422);
}

TEST(Numbers, FiniteDecimalsOnly) {
    EXPECT_DOUBLE_EQ(parse_number("edges[]", "300"), 300);
    EXPECT_DOUBLE_EQ(parse_number("edges[]", "1e3"), 1000);
    EXPECT_DOUBLE_EQ(parse_number("edges[]", "-2.5"), -2.5);
    EXPECT_EQ(status_of([] { parse_number("edges[]", "inf"); }), 400);
    EXPECT_EQ(status_of([] { parse_number("edges[]", "1e999"); }), 400);
    EXPECT_EQ(status_of([] { parse_number("edges[]", "3x"); }), 400);
}

TEST(PgArrays, Literals) {
    EXPECT_EQ(pg_int_array({}), "{}");
    EXPECT_EQ(pg_int_array({1, 22, 333}), "{1,22,333}");
    EXPECT_EQ(pg_float_array({300, 0.5}), "{300,0.5}");
}

TEST(Paths, SegmentsAreSplitAndDecoded) {
    EXPECT_EQ(split_path("/api/v2//accounts/1/"), (std::vector<std::string>{"api", "v2", "accounts", "1"}));
    EXPECT_EQ(split_path("/a%20b/c+d"), (std::vector<std::string>{"a b", "c+d"}));
    EXPECT_TRUE(split_path("/").empty());
}
