#include "session_auth.hpp"

#include <crypt.h>

#include <cctype>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

namespace support_reports::api {

namespace {

std::optional<std::string> non_blank(std::optional<std::string> v) {
    if (!v) return std::nullopt;
    std::size_t a = 0, b = v->size();
    while (a < b && std::isspace(static_cast<unsigned char>((*v)[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>((*v)[b - 1]))) --b;
    if (a == b) return std::nullopt;
    return v->substr(a, b - a);
}

bool constant_time_equal(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace

std::optional<std::string> base64_strict_decode(std::string_view in) {
    if (in.size() % 4 != 0) return std::nullopt;
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    out.reserve(in.size() / 4 * 3);
    for (std::size_t i = 0; i < in.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = in[i + k];
            if (c == '=') {
                // padding only at the very end, in the last one or two places
                if (i + 4 != in.size() || k < 2) return std::nullopt;
                v[k] = 0;
                ++pad;
            } else {
                if (pad) return std::nullopt;
                v[k] = value(c);
                if (v[k] < 0) return std::nullopt;
            }
        }
        const unsigned n = (unsigned(v[0]) << 18) | (unsigned(v[1]) << 12) | (unsigned(v[2]) << 6) | unsigned(v[3]);
        out.push_back(static_cast<char>((n >> 16) & 0xff));
        if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
        if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
    }
    return out;
}

std::optional<SessionCredentials> find_session_credentials(
    const std::function<std::optional<std::string>(std::string_view)>& header,
    const std::function<std::optional<std::string>(std::string_view)>& query) {
    // Authorization: Bearer <base64 of {"access-token":...,"client":...,"uid":...}>
    nlohmann::json bearer = nlohmann::json::object();
    if (auto auth = non_blank(header("Authorization"))) {
        std::string encoded = *auth;
        const std::size_t space = encoded.find_last_of(" \t");
        if (space != std::string::npos) encoded = encoded.substr(space + 1);
        if (auto decoded = base64_strict_decode(encoded)) {
            nlohmann::json parsed = nlohmann::json::parse(*decoded, nullptr, false);
            if (parsed.is_object()) bearer = std::move(parsed);
        }
    }
    auto find = [&](const std::string& name) -> std::optional<std::string> {
        std::string underscored = name;
        for (char& c : underscored)
            if (c == '-') c = '_';
        // Rails reads request.headers[name] (Rack: HTTP_ACCESS_TOKEN, so either spelling)
        if (auto v = non_blank(header(name))) return v;
        if (underscored != name)
            if (auto v = non_blank(header(underscored))) return v;
        if (auto v = non_blank(query(name))) return v;
        const auto it = bearer.find(name);
        if (it != bearer.end() && it->is_string()) return non_blank(it->get<std::string>());
        return std::nullopt;
    };
    SessionCredentials c;
    auto token = find("access-token");
    auto uid = find("uid");
    if (!token || !uid) return std::nullopt;
    c.access_token = *token;
    c.uid = *uid;
    if (auto client = find("client")) c.client = *client;
    return c;
}

bool bcrypt_matches(const std::string& secret, const std::string& stored) {
    // Only bcrypt hashes, as BCrypt::Password accepts ("$2a$10$" + 53 characters).
    if (stored.size() != 60 || stored.compare(0, 2, "$2") != 0) return false;
    if (secret.find('\0') != std::string::npos) return false;
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* hashed = crypt_rn(secret.c_str(), stored.c_str(), data.get(), static_cast<int>(sizeof(crypt_data)));
    if (!hashed || hashed[0] == '*') return false;
    return constant_time_equal(hashed, stored);
}

std::optional<std::int64_t> parse_expiry(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    std::int64_t v = 0;
    std::size_t digits = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
        if (v > (INT64_MAX - 9) / 10) return std::nullopt;
        v = v * 10 + (text[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    return negative ? -v : v;
}

bool SessionVerifier::matches_cached(std::int64_t user_id, const SessionCredentials& c, const std::string& hash) {
    std::string key = std::to_string(user_id);
    key.push_back('\0');
    key += c.client;
    key.push_back('\0');
    key += c.access_token;
    key.push_back('\0');
    key += hash;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (positives_.count(key)) return true;
    }
    if (!bcrypt_matches(c.access_token, hash)) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (positives_.size() >= kMaxCached) positives_.clear();
    positives_[key] = true;
    return true;
}

bool SessionVerifier::valid(std::int64_t user_id, const SessionCredentials& credentials, const TokenEntry& entry,
                            std::int64_t now_unix) {
    if (entry.expiry && entry.token) {
        const auto expiry = parse_expiry(*entry.expiry);
        if (expiry && *expiry > now_unix) {
            if (matches_cached(user_id, credentials, *entry.token)) return true;
            if (entry.previous_token && matches_cached(user_id, credentials, *entry.previous_token)) return true;
        }
    }
    if (entry.updated_recently && entry.last_token && matches_cached(user_id, credentials, *entry.last_token))
        return true;
    return false;
}

}  // namespace support_reports::api
