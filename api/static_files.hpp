// The dashboard's static files (web/), the OpenAPI document and the chart library, served by
// reports-server without a token: they hold no account data, and every number the dashboard
// shows comes from the authenticated API. Pure C++17 (filesystem, no HTTP or database headers),
// unit-tested with hostile paths in tests/api/unit_static_files_test.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http_util.hpp"

namespace support_reports::api {

class StaticSite {
public:
    // `root`: the directory served at "/" ("" = none; "/" answers index.html). `aliases`: single
    // files served at fixed paths outside the root ("/openapi.yaml" -> docs/openapi.yaml,
    // "/vendor/chart.js" -> Debian's libjs-chart.js); an alias whose file is missing answers 404.
    StaticSite(std::string root, std::map<std::string, std::string> aliases);

    // The answer for a GET/HEAD of `raw_path` (the request target's path, still percent-encoded),
    // or nullopt when the path names nothing here (the caller answers its own 404). Only names
    // whose every segment is [A-Za-z0-9_-][A-Za-z0-9._-]* after decoding are looked up (no "..",
    // no hidden files, no empty segments, no NUL or backslash), the file must resolve (symlinks
    // followed) inside the root, be a regular file of a known type and at most 16 MiB.
    // `if_none_match`: the request's If-None-Match; a matching ETag answers 304 without a body.
    std::optional<Reply> serve(std::string_view raw_path, const std::optional<std::string>& if_none_match) const;

private:
    std::string root_;  // as configured; "" when there is none
    std::map<std::string, std::string> aliases_;
};

// The Content-Type of a file name by its extension, or "" for a type the server does not serve.
std::string content_type_for(std::string_view name);

// The decoded path segments of a static request, or nullopt when one is not a plain file name
// (see StaticSite::serve). "/" and "" give no segments.
std::optional<std::vector<std::string>> static_segments(std::string_view raw_path);

}  // namespace support_reports::api
