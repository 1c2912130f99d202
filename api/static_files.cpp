#include "static_files.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace support_reports::api {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxFileBytes = 16u << 20;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool plain_name(const std::string& s) {
    if (s.empty() || s[0] == '.') return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

// Resolves symlinks; "" when the file does not exist.
std::string canonical_or_empty(const std::string& path) {
    std::error_code ec;
    const fs::path p = fs::canonical(path, ec);
    return ec ? std::string() : p.string();
}

bool inside(const std::string& path, const std::string& root) {
    return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
}

bool etag_matches(const std::string& header, const std::string& etag) {
    // If-None-Match is a comma-separated list of entity tags, or "*".
    std::stringstream list(header);
    std::string item;
    while (std::getline(list, item, ',')) {
        const auto b = item.find_first_not_of(" \t");
        const auto e = item.find_last_not_of(" \t");
        if (b == std::string::npos) continue;
        const std::string tag = item.substr(b, e - b + 1);
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

// A regular file's answer, with the headers that make a browser revalidate it (no-cache + ETag:
// the names carry no content hash, so a cached copy must never outlive an upgrade), and for HTML
// the policy that keeps the page to its own scripts and to the API of this origin.
std::optional<Reply> file_reply(const std::string& path, const std::string& type,
                                const std::optional<std::string>& if_none_match) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxFileBytes) return std::nullopt;
    char etag[64];
    std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(st.st_size),
                  static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                      static_cast<unsigned long long>(st.st_mtim.tv_nsec));
    Reply r;
    r.content_type = type;
    r.headers = {{"ETag", etag}, {"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}};
    if (type.rfind("text/html", 0) == 0) {
        r.headers.emplace_back("Content-Security-Policy",
                               "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'");
        r.headers.emplace_back("Referrer-Policy", "no-referrer");
    }
    if (if_none_match && etag_matches(*if_none_match, etag)) {
        r.status = 304;
        return r;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream body;
    body << in.rdbuf();
    r.body = body.str();
    return r;
}

}  // namespace

std::string content_type_for(std::string_view name) {
    static const std::map<std::string, std::string, std::less<>> kTypes = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".yaml", "application/yaml; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return "";
    const auto it = kTypes.find(name.substr(dot));
    return it == kTypes.end() ? "" : it->second;
}

std::optional<std::vector<std::string>> static_segments(std::string_view raw_path) {
    std::vector<std::string> out;
    if (raw_path.empty() || raw_path == "/") return out;
    if (raw_path[0] != '/') return std::nullopt;
    std::size_t pos = 1;
    while (pos <= raw_path.size()) {
        std::size_t slash = raw_path.find('/', pos);
        if (slash == std::string_view::npos) slash = raw_path.size();
        const std::string_view seg = raw_path.substr(pos, slash - pos);
        std::string decoded;
        for (std::size_t i = 0; i < seg.size(); ++i) {
            if (seg[i] != '%') {
                decoded += seg[i];
                continue;
            }
            if (i + 2 >= seg.size()) return std::nullopt;  // a '%' without two hex digits
            const int hi = hex_digit(seg[i + 1]), lo = hex_digit(seg[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            decoded += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        // Also rejects an empty segment ("//", a trailing "/"): no directory listings, one name per file.
        if (!plain_name(decoded)) return std::nullopt;
        out.push_back(std::move(decoded));
        pos = slash + 1;
    }
    return out;
}

StaticSite::StaticSite(std::string root, std::map<std::string, std::string> aliases)
    : root_(std::move(root)), aliases_(std::move(aliases)) {}

std::optional<Reply> StaticSite::serve(std::string_view raw_path, const std::optional<std::string>& if_none_match) const {
    if (const auto alias = aliases_.find(std::string(raw_path)); alias != aliases_.end()) {
        const std::string type = content_type_for(alias->second);
        return type.empty() ? std::nullopt : file_reply(alias->second, type, if_none_match);
    }
    // Resolved per request, so a root created (or moved by a deploy) after startup is served.
    const std::string root = root_.empty() ? std::string() : canonical_or_empty(root_);
    if (root.empty()) return std::nullopt;
    const auto segments = static_segments(raw_path);
    if (!segments) return std::nullopt;
    std::string path = root;
    for (const auto& s : *segments) path += "/" + s;
    if (segments->empty()) path += "/index.html";
    const std::string type = content_type_for(path);
    if (type.empty()) return std::nullopt;
    // A symlink inside the root may point anywhere: serve only what resolves inside it.
    const std::string real = canonical_or_empty(path);
    if (real.empty() || !inside(real, root)) return std::nullopt;
    return file_reply(real, type, if_none_match);
}

}  // namespace support_reports::api
