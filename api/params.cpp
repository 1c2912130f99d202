#include "params.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace support_reports::api {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string printable(std::string_view value) {
    // Echo at most a short prefix of a bad value, so an error body never carries a large payload.
    constexpr std::size_t kMax = 64;
    std::string out(value.substr(0, kMax));
    if (value.size() > kMax) out += "...";
    return out;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Digits to int64, nullopt on overflow.
std::optional<std::int64_t> digits_to_int(std::string_view s) {
    std::int64_t v = 0;
    for (char c : s) {
        const int d = c - '0';
        if (v > (std::numeric_limits<std::int64_t>::max() - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

// Values go to Postgres as text parameters: a NUL byte would truncate them and invalid UTF-8
// would fail inside the database, so both are rejected up front.
bool acceptable_text(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0) return false;
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        if (len == 2 && c < 0xC2) return false;  // overlong
        std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += len;
    }
    return true;
}

constexpr std::int64_t kMaxUnixSeconds = 253402300799LL;  // 9999-12-31 23:59:59 UTC

}  // namespace

std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= in.size()) return std::nullopt;
            const int hi = hex_value(in[i + 1]);
            const int lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

QueryParams QueryParams::parse(std::string_view raw) {
    QueryParams q;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t amp = raw.find('&', pos);
        if (amp == std::string_view::npos) amp = raw.size();
        const std::string_view part = raw.substr(pos, amp - pos);
        if (!part.empty()) {
            const std::size_t eq = part.find('=');
            const std::string_view rkey = part.substr(0, eq);
            const std::string_view rval = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
            auto key = percent_decode(rkey);
            if (!key || !acceptable_text(*key))
                throw ParamError(400, printable(rkey), "malformed parameter name (bad percent-encoding, NUL or invalid UTF-8)");
            auto val = percent_decode(rval);
            if (!val) throw ParamError(400, *key, *key + ": malformed percent-encoding");
            if (!acceptable_text(*val)) throw ParamError(400, *key, *key + ": value holds a NUL byte or invalid UTF-8");
            q.pairs_.emplace_back(std::move(*key), std::move(*val));
        }
        pos = amp + 1;
    }
    return q;
}

std::optional<std::string> QueryParams::get(std::string_view key) const {
    for (const auto& [k, v] : pairs_)
        if (k == key) return v.empty() ? std::nullopt : std::optional<std::string>(v);
    return std::nullopt;
}

bool QueryParams::has(std::string_view key) const { return get(key).has_value(); }

std::vector<std::string> QueryParams::get_all(std::string_view key) const {
    const std::string array_key = std::string(key) + "[]";
    std::vector<std::string> out;
    for (const auto& [k, v] : pairs_)
        if ((k == key || k == array_key) && !v.empty()) out.push_back(v);
    return out;
}

std::string redact_query(std::string_view raw) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t amp = raw.find('&', pos);
        if (amp == std::string_view::npos) amp = raw.size();
        const std::string_view part = raw.substr(pos, amp - pos);
        const std::string_view rkey = part.substr(0, part.find('='));
        std::string key = percent_decode(rkey).value_or(std::string(rkey));
        for (char& c : key) c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!part.empty() && key != "api_access_token" && key != "access_token") {
            if (!out.empty()) out += '&';
            out += part;
        }
        pos = amp + 1;
    }
    return out;
}

std::int64_t parse_unix_seconds(std::string_view parameter, std::string_view value) {
    std::string_view s = value;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    if (!all_digits(whole) || (dot != std::string_view::npos && !frac.empty() && !all_digits(frac))) {
        throw ParamError(400, std::string(parameter),
                         std::string(parameter) + " must be unix seconds, got \"" + printable(value) + "\"");
    }
    const auto v = digits_to_int(whole);
    if (!v || (negative && *v != 0) || *v > kMaxUnixSeconds) {
        throw ParamError(422, std::string(parameter),
                         std::string(parameter) + " is out of range (0 .. 253402300799 unix seconds)");
    }
    return *v;
}

std::int64_t parse_id(std::string_view parameter, std::string_view value) {
    const auto v = all_digits(value) ? digits_to_int(value) : std::nullopt;
    if (!v || *v < 1) {
        throw ParamError(400, std::string(parameter),
                         std::string(parameter) + " must be a positive integer id, got \"" + printable(value) + "\"");
    }
    return *v;
}

std::vector<std::int64_t> parse_id_list(std::string_view parameter, const std::vector<std::string>& values) {
    std::vector<std::int64_t> out;
    out.reserve(values.size());
    for (const auto& v : values) out.push_back(parse_id(parameter, v));
    return out;
}

std::int64_t parse_int_in(std::string_view parameter, std::string_view value, std::int64_t min, std::int64_t max) {
    std::string_view s = value;
    bool negative = false;
    if (!s.empty() && s[0] == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    const auto v = all_digits(s) ? digits_to_int(s) : std::nullopt;
    if (!v) {
        throw ParamError(400, std::string(parameter),
                         std::string(parameter) + " must be an integer, got \"" + printable(value) + "\"");
    }
    const std::int64_t n = negative ? -*v : *v;
    if (n < min || n > max) {
        throw ParamError(422, std::string(parameter),
                         std::string(parameter) + " must be between " + std::to_string(min) + " and " +
                             std::to_string(max));
    }
    return n;
}

double parse_number(std::string_view parameter, std::string_view value) {
    const std::string s(value);
    bool ok = !s.empty() && s.size() <= 64;
    for (char c : s)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            ok = false;
    double d = 0;
    if (ok) {
        char* end = nullptr;
        errno = 0;
        d = std::strtod(s.c_str(), &end);
        ok = end == s.c_str() + s.size() && errno == 0 && std::isfinite(d);
    }
    if (!ok) {
        throw ParamError(400, std::string(parameter),
                         std::string(parameter) + " must be a number, got \"" + printable(value) + "\"");
    }
    return d;
}

bool parse_rails_bool(const std::optional<std::string>& value) {
    if (!value || value->empty()) return false;
    static const char* const kFalse[] = {"0", "f", "F", "false", "FALSE", "off", "OFF"};
    for (const char* f : kFalse)
        if (*value == f) return false;
    return true;
}

int parse_offset_seconds(std::string_view parameter, std::string_view value) {
    const double hours = parse_number(parameter, value);
    if (hours < -14.0 || hours > 14.0) {
        throw ParamError(422, std::string(parameter),
                         std::string(parameter) + " must be between -14 and 14 hours, got " + printable(value));
    }
    return static_cast<int>(std::lround(hours * 60.0)) * 60;
}

std::string pg_int_array(const std::vector<std::int64_t>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "}";
}

std::string pg_float_array(const std::vector<double>& values) {
    std::string out = "{";
    char buf[64];
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        std::snprintf(buf, sizeof buf, "%.17g", values[i]);
        out += buf;
    }
    return out + "}";
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        std::size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        const std::string_view seg = path.substr(pos, slash - pos);
        if (!seg.empty()) {
            // '+' is literal in a path; only %XX escapes are decoded.
            std::string decoded;
            bool ok = true;
            for (std::size_t i = 0; i < seg.size(); ++i) {
                if (seg[i] == '%' && i + 2 < seg.size() && hex_value(seg[i + 1]) >= 0 &&
                    hex_value(seg[i + 2]) >= 0) {
                    decoded += static_cast<char>(hex_value(seg[i + 1]) * 16 + hex_value(seg[i + 2]));
                    i += 2;
                } else if (seg[i] == '%') {
                    ok = false;
                    break;
                } else {
                    decoded += seg[i];
                }
            }
            out.push_back(ok ? decoded : std::string(seg));
        }
        pos = slash + 1;
    }
    return out;
}

}  // namespace support_reports::api
