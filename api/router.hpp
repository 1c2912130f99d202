// Path patterns such as "/api/v2/accounts/:account_id/reports/agents". The server routes by
// itself instead of using Pistache's Rest::Router: it needs the raw request target anyway (see
// server.cpp), and a table that is never written after startup has no data race to work around.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace support_reports::api {

class PathPattern {
public:
    explicit PathPattern(std::string_view pattern);
    // Captures of ":name" segments, or nullopt when the segments do not match.
    std::optional<std::map<std::string, std::string>> match(const std::vector<std::string>& segments) const;
    const std::string& text() const { return text_; }

private:
    std::string text_;
    std::vector<std::string> segments_;
};

// A ".csv" or ".json" suffix on the last segment (Rails' format suffix): removed from `segments`
// and returned ("csv" / "json"), or "" when there is none.
std::string strip_format_suffix(std::vector<std::string>& segments);

}  // namespace support_reports::api
