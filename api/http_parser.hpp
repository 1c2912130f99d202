// HTTP/1.1 request framing (RFC 9112) for reports-server's own connection handling. Pure C++ (no
// sockets, no Pistache), unit-tested in tests/api and fuzzed in fuzz/.
//
// parse_request() looks at the bytes a connection has buffered and says whether they start with a
// complete request, need more bytes, or can never become a valid request -- as soon as that is
// certain, so a malformed request line or header line is answered at once instead of after a
// timeout. Errors carry the status to answer and a short message of our own (no library text).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace support_reports::api {

struct HttpLimits {
    std::size_t max_head = 16 * 1024;  // request line + header lines, CRLFs included
    std::size_t max_body = 16 * 1024;  // decoded body (the API is GET-only: bodies are discarded)
    std::size_t max_headers = 100;
};

struct ParsedRequest {
    std::string method;
    std::string target;  // as sent: origin form "/path?query" or absolute form
    int minor_version = 1;  // HTTP/1.<minor>
    std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, trimmed values
    std::string body;
    bool keep_alive = true;  // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive"
};

struct ParseOutcome {
    enum class Kind { Incomplete, Complete, Error };
    Kind kind = Kind::Incomplete;
    ParsedRequest request;     // Complete
    std::size_t consumed = 0;  // Complete: bytes of the buffer this request used
    int status = 0;            // Error: 400, 413, 414, 431, 501, 505
    std::string error;         // Error: the message for {"error": ...}
};

ParseOutcome parse_request(std::string_view buffer, const HttpLimits& limits = {});

// The request target of a request line, in origin form ("/path?query"): absolute-form targets
// ("http://host/path") lose their scheme and authority.
std::string origin_form(const std::string& target);

// The standard reason phrase of a status code ("Not Found"); "Unknown" for others.
const char* reason_phrase(int status);

}  // namespace support_reports::api
