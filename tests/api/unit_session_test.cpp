// devise_token_auth's credential lookup and token check, without a server.
#include <gtest/gtest.h>

#include <map>

#include "session_auth.hpp"

using namespace support_reports::api;

namespace {

using Lookup = std::function<std::optional<std::string>(std::string_view)>;

Lookup from(std::map<std::string, std::string> m) {
    return [m](std::string_view name) -> std::optional<std::string> {
        const auto it = m.find(std::string(name));
        return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

// crypt_blowfish's published test vector (also in OpenBSD's and libxcrypt's test suites).
const std::string kVector = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

}  // namespace

TEST(SessionAuth, Base64Strict) {
    EXPECT_EQ(base64_strict_decode("eyJhIjoxfQ=="), std::optional<std::string>("{\"a\":1}"));
    EXPECT_EQ(base64_strict_decode("TWFu"), std::optional<std::string>("Man"));
    EXPECT_EQ(base64_strict_decode("TWE="), std::optional<std::string>("Ma"));
    EXPECT_EQ(base64_strict_decode(""), std::optional<std::string>(""));
    EXPECT_FALSE(base64_strict_decode("TWE"));     // no padding
    EXPECT_FALSE(base64_strict_decode("TW=E"));    // padding inside
    EXPECT_FALSE(base64_strict_decode("TWE=TWFu"));
    EXPECT_FALSE(base64_strict_decode("TW-_"));    // urlsafe alphabet is not strict base64
}

TEST(SessionAuth, CredentialsFromHeadersQueryAndBearer) {
    const Lookup none = from({});
    auto c = find_session_credentials(from({{"access-token", "tok"}, {"client", "cl"}, {"uid", "a@b.c"}}), none);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->access_token, "tok");
    EXPECT_EQ(c->client, "cl");
    EXPECT_EQ(c->uid, "a@b.c");
    // client defaults to "default"; a token without uid, or a uid without token, is no sign-in.
    c = find_session_credentials(from({{"access-token", "tok"}, {"uid", "u"}}), none);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->client, "default");
    EXPECT_FALSE(find_session_credentials(from({{"access-token", "tok"}}), none));
    EXPECT_FALSE(find_session_credentials(from({{"uid", "u"}}), none));
    EXPECT_FALSE(find_session_credentials(from({{"access-token", "  "}, {"uid", "u"}}), none));
    // Rack's underscore spelling; then query parameters.
    c = find_session_credentials(from({{"access_token", "t2"}, {"uid", "u"}}), none);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->access_token, "t2");
    c = find_session_credentials(none, from({{"access-token", "q"}, {"client", "qc"}, {"uid", "qu"}}));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->access_token + c->client + c->uid, "qqcqu");
    // Authorization: Bearer base64({"access-token":"b","client":"bc","uid":"bu"})
    c = find_session_credentials(
        from({{"Authorization", "Bearer eyJhY2Nlc3MtdG9rZW4iOiJiIiwiY2xpZW50IjoiYmMiLCJ1aWQiOiJidSJ9"}}), none);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->access_token + "|" + c->client + "|" + c->uid, "b|bc|bu");
    // Headers win over the bearer.
    c = find_session_credentials(
        from({{"access-token", "h"},
              {"Authorization", "Bearer eyJhY2Nlc3MtdG9rZW4iOiJiIiwiY2xpZW50IjoiYmMiLCJ1aWQiOiJidSJ9"}}),
        none);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->access_token + "|" + c->uid, "h|bu");
    EXPECT_FALSE(find_session_credentials(from({{"Authorization", "Bearer !!!"}}), none));
}

TEST(SessionAuth, BcryptKnownVector) {
    EXPECT_TRUE(bcrypt_matches("U*U", kVector));
    EXPECT_FALSE(bcrypt_matches("U*V", kVector));
    EXPECT_FALSE(bcrypt_matches("", kVector));
    // $2b$ and $2y$ name the same algorithm for such inputs.
    std::string b = kVector, y = kVector;
    b[2] = 'b';
    y[2] = 'y';
    EXPECT_TRUE(bcrypt_matches("U*U", b));
    EXPECT_TRUE(bcrypt_matches("U*U", y));
    // Not bcrypt, truncated, or malformed: no match, no crash.
    EXPECT_FALSE(bcrypt_matches("U*U", kVector.substr(0, 59)));
    EXPECT_FALSE(bcrypt_matches("U*U", "$1$abcdefgh$abcdefghijklmnopqrstuv"));
    EXPECT_FALSE(bcrypt_matches("U*U", "$2a$99$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    EXPECT_FALSE(bcrypt_matches("U*U", std::string(60, 'x')));
}

TEST(SessionAuth, Expiry) {
    EXPECT_EQ(parse_expiry("1790000000"), 1790000000);
    EXPECT_EQ(parse_expiry("1790000000.5"), 1790000000);
    EXPECT_EQ(parse_expiry("-5"), -5);
    EXPECT_FALSE(parse_expiry("soon"));
    EXPECT_FALSE(parse_expiry(""));
    EXPECT_FALSE(parse_expiry("99999999999999999999999"));
}

TEST(SessionAuth, ValidTokenRules) {
    SessionVerifier v;
    SessionCredentials c;
    c.access_token = "U*U";
    c.client = "web";
    c.uid = "u";
    const std::int64_t now = 1700000000;
    TokenEntry e;
    e.token = kVector;
    e.expiry = "1700000001";
    EXPECT_TRUE(v.valid(1, c, e, now));
    e.expiry = "1700000000";  // strictly later than now
    EXPECT_FALSE(v.valid(1, c, e, now));
    e.expiry.reset();
    EXPECT_FALSE(v.valid(1, c, e, now));
    // previous_token, while not expired
    TokenEntry p;
    p.token = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    p.previous_token = kVector;
    p.expiry = "1800000000";
    EXPECT_TRUE(v.valid(2, c, p, now));
    // last_token only within the buffer, whatever the expiry
    TokenEntry l;
    l.last_token = kVector;
    l.expiry = "1";
    EXPECT_FALSE(v.valid(3, c, l, now));
    l.updated_recently = true;
    EXPECT_TRUE(v.valid(3, c, l, now));
    // A cached positive does not outlive the expiry, nor carry over to another token.
    e.expiry = "1700000001";
    EXPECT_TRUE(v.valid(1, c, e, now));
    EXPECT_FALSE(v.valid(1, c, e, now + 1));
    SessionCredentials wrong = c;
    wrong.access_token = "U*V";
    EXPECT_FALSE(v.valid(1, wrong, e, now));
}
