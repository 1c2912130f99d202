#include "render.hpp"

#include <cmath>
#include <cstdio>

namespace support_reports::api {

std::string dump_json(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool is_plain_number(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        std::size_t exp_digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
        if (exp_digits == 0) return false;
    }
    return i == s.size();
}

std::string csv_cell(std::string_view text) {
    std::string cell;
    if (!text.empty()) {
        const char c = text.front();
        const bool risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        if (risky && !is_plain_number(text)) cell += '\'';
    }
    cell.append(text.data(), text.size());
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char ch : cell) {
        if (ch == '"') quoted += '"';
        quoted += ch;
    }
    return quoted + "\"";
}

std::string csv_line(const std::vector<std::optional<std::string>>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) line += ',';
        if (cells[i]) line += csv_cell(*cells[i]);
    }
    return line + "\n";
}

std::string format_duration(std::optional<double> seconds) {
    if (!seconds || !std::isfinite(*seconds)) return "N/A";
    const double truncated = std::trunc(*seconds);
    if (truncated <= 0 || truncated > 9.0e15) return "N/A";
    auto total = static_cast<long long>(truncated);
    const long long parts[4] = {total / 86400, (total % 86400) / 3600, (total % 3600) / 60, total % 60};
    static const char* const kUnits[4] = {"day", "hour", "minute", "second"};
    std::string out;
    int used = 0;
    for (int i = 0; i < 4 && used < 2; ++i) {
        if (parts[i] == 0) continue;
        if (used) out += ' ';
        out += std::to_string(parts[i]) + ' ' + kUnits[i] + (parts[i] == 1 ? "" : "s");
        ++used;
    }
    return out;
}

std::string channel_display_name(std::string_view type) {
    struct Entry {
        const char* type;
        const char* name;
    };
    static const Entry kNames[] = {
        {"Channel::WebWidget", "Website"},     {"Channel::Api", "API"},
        {"Channel::Email", "Email"},           {"Channel::FacebookPage", "Facebook"},
        {"Channel::Instagram", "Instagram"},   {"Channel::Line", "LINE"},
        {"Channel::Sms", "Sms"},               {"Channel::Telegram", "Telegram"},
        {"Channel::Tiktok", "Tiktok"},         {"Channel::TwilioSms", "Twilio SMS"},
        {"Channel::TwitterProfile", "Twitter"}, {"Channel::Whatsapp", "Whatsapp"},
    };
    for (const auto& e : kNames)
        if (type == e.type) return e.name;
    constexpr std::string_view kPrefix = "Channel::";
    if (type.substr(0, kPrefix.size()) == kPrefix) type.remove_prefix(kPrefix.size());
    return std::string(type);
}

std::string utc_date(std::int64_t t) {
    // Howard Hinnant's civil_from_days.
    std::int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d));
    return buf;
}

}  // namespace support_reports::api
