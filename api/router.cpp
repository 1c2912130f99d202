#include "router.hpp"

#include "params.hpp"

namespace support_reports::api {

PathPattern::PathPattern(std::string_view pattern) : text_(pattern), segments_(split_path(pattern)) {}

std::optional<std::map<std::string, std::string>> PathPattern::match(const std::vector<std::string>& segments) const {
    if (segments.size() != segments_.size()) return std::nullopt;
    std::map<std::string, std::string> captures;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& p = segments_[i];
        if (!p.empty() && p[0] == ':') {
            captures[p.substr(1)] = segments[i];
        } else if (p != segments[i]) {
            return std::nullopt;
        }
    }
    return captures;
}

std::string strip_format_suffix(std::vector<std::string>& segments) {
    if (segments.empty()) return "";
    std::string& last = segments.back();
    for (const char* ext : {"csv", "json"}) {
        const std::string suffix = std::string(".") + ext;
        if (last.size() > suffix.size() && last.compare(last.size() - suffix.size(), suffix.size(), suffix) == 0) {
            last.resize(last.size() - suffix.size());
            return ext;
        }
    }
    return "";
}

}  // namespace support_reports::api
