// Chatwoot's dashboard sign-in: devise_token_auth 1.2.5 session headers checked against
// `users.tokens`, as the gem does it (shared/reference/chatwoot-dropin.md §1.3-1.5). Pure C++ on
// libxcrypt's bcrypt (crypt_rn); no HTTP or database headers, unit-tested in tests/api.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace support_reports::api {

// The three values devise_token_auth reads. Request headers `expiry` and `token-type` are ignored,
// as the gem ignores them.
struct SessionCredentials {
    std::string access_token;
    std::string client = "default";
    std::string uid;
};

// Finds the credentials as devise_token_auth does: the header (`access-token`, `client`, `uid`;
// Rack also accepts `access_token` ...), else the same-named query parameter, else the base64
// JSON of `Authorization: Bearer ...`. `client` defaults to "default". nullopt when there is no
// access token or no uid (the request is unauthenticated).
std::optional<SessionCredentials> find_session_credentials(
    const std::function<std::optional<std::string>(std::string_view)>& header,
    const std::function<std::optional<std::string>(std::string_view)>& query);

// Strict base64 (RFC 4648, with padding), as Ruby's Base64.strict_decode64. nullopt when malformed.
std::optional<std::string> base64_strict_decode(std::string_view in);

// BCrypt::Password#is_password?: hashes `secret` with the salt of `stored` ($2a$/$2b$/$2y$) and
// compares the whole hash in constant time. False for a malformed hash.
bool bcrypt_matches(const std::string& secret, const std::string& stored);

// One entry of the decoded users.tokens hash, tokens[client].
struct TokenEntry {
    std::optional<std::string> token;           // bcrypt hash of the access token
    std::optional<std::string> expiry;          // unix seconds, as text
    std::optional<std::string> previous_token;  // bcrypt hash
    std::optional<std::string> last_token;      // bcrypt hash
    bool updated_recently = false;              // entry's updated_at within the last 5 s
};

// devise_token_auth's valid_token?: (a) expiry > now and the token matches `token` or
// `previous_token`, or (b) updated within the batch-request buffer (5 s) and it matches
// `last_token`. Positive bcrypt results are cached per (user, client, token, hash), so a page's
// burst of requests costs one bcrypt; expiry is checked on every call.
class SessionVerifier {
public:
    bool valid(std::int64_t user_id, const SessionCredentials& credentials, const TokenEntry& entry,
               std::int64_t now_unix);

private:
    bool matches_cached(std::int64_t user_id, const SessionCredentials& c, const std::string& hash);

    static constexpr std::size_t kMaxCached = 10000;
    std::mutex mutex_;
    std::map<std::string, bool> positives_;
};

// DateTime.strptime(expiry.to_s, '%s'): the leading (optionally signed) integer. nullopt if none.
std::optional<std::int64_t> parse_expiry(const std::string& text);

}  // namespace support_reports::api
