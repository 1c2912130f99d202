#include "http_parser.hpp"

#include <cctype>

namespace support_reports::api {

namespace {

using Kind = ParseOutcome::Kind;

ParseOutcome error(int status, std::string message) {
    ParseOutcome o;
    o.kind = Kind::Error;
    o.status = status;
    o.error = std::move(message);
    return o;
}

ParseOutcome incomplete() { return ParseOutcome{}; }

// RFC 9110 §5.6.2 tchar.
bool is_tchar(unsigned char c) {
    if (std::isalnum(c)) return true;
    switch (c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
        case '^': case '_': case '`': case '|': case '~':
            return true;
        default:
            return false;
    }
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (!is_tchar(c)) return false;
    return true;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool has_token(std::string_view list, std::string_view token) {
    // comma-separated, case-insensitive
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = trim_ows(list.substr(0, comma));
        if (lower(item) == token) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

const char* const kKnownMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

// Checks a request line (without its CRLF). Returns an Error outcome or Incomplete for "fine".
ParseOutcome check_request_line(std::string_view line, ParsedRequest& req) {
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return error(400, "malformed request line");
    const std::string_view method = line.substr(0, sp1);
    if (!is_token(method)) return error(400, "malformed request line: invalid method");
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) return error(400, "malformed request line: no HTTP version");
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (target.empty()) return error(400, "malformed request line: empty request target");
    for (unsigned char c : target)
        if (c <= 0x20 || c >= 0x7f) return error(400, "invalid character in request target");
    if (version.size() != 8 || version.compare(0, 5, "HTTP/") != 0 || !std::isdigit(static_cast<unsigned char>(version[5])) ||
        version[6] != '.' || !std::isdigit(static_cast<unsigned char>(version[7])))
        return error(400, "malformed request line: invalid HTTP version");
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) return error(505, "HTTP version not supported");
    req.minor_version = version[7] - '0';
    bool known = false;
    for (const char* m : kKnownMethods) known = known || method == m;
    if (!known) return error(501, "method not implemented");
    const bool origin = target.front() == '/';
    const bool absolute = target.compare(0, 7, "http://") == 0 || target.compare(0, 8, "https://") == 0;
    const bool asterisk = target == "*" && method == "OPTIONS";
    if (!origin && !absolute && !asterisk) return error(400, "invalid request target");
    req.method = std::string(method);
    req.target = std::string(target);
    return incomplete();
}

// Parses a chunked body starting at `pos`. Returns Complete with `consumed` set, Incomplete or
// Error.
ParseOutcome parse_chunked(std::string_view in, std::size_t pos, const HttpLimits& limits, std::string& body) {
    for (;;) {
        const std::size_t eol = in.find("\r\n", pos);
        if (eol == std::string_view::npos) {
            if (in.size() - pos > 1024) return error(400, "invalid chunk size");
            return incomplete();
        }
        if (eol - pos > 1024) return error(400, "invalid chunk size");
        std::string_view size_line = in.substr(pos, eol - pos);
        const std::size_t semi = size_line.find(';');
        std::string_view digits = trim_ows(size_line.substr(0, semi));
        if (digits.empty() || digits.size() > 8) return error(400, "invalid chunk size");
        std::size_t size = 0;
        for (unsigned char c : digits) {
            if (!std::isxdigit(c)) return error(400, "invalid chunk size");
            size = size * 16 + static_cast<std::size_t>(std::isdigit(c) ? c - '0' : std::tolower(c) - 'a' + 10);
        }
        pos = eol + 2;
        if (size == 0) {
            // trailer section, then an empty line
            for (;;) {
                const std::size_t end = in.find("\r\n", pos);
                if (end == std::string_view::npos) {
                    if (in.size() - pos > limits.max_head) return error(431, "request header fields too large");
                    return incomplete();
                }
                if (end + 2 - pos > limits.max_head) return error(431, "request header fields too large");
                if (end == pos) {
                    ParseOutcome o;
                    o.kind = Kind::Complete;
                    o.consumed = end + 2;
                    return o;
                }
                if (in.substr(pos, end - pos).find(':') == std::string_view::npos)
                    return error(400, "malformed trailer line");
                pos = end + 2;
            }
        }
        if (body.size() + size > limits.max_body) return error(413, "request body too large");
        if (in.size() < pos + size + 2) return incomplete();
        if (in.compare(pos + size, 2, "\r\n") != 0) return error(400, "invalid chunk: data not followed by CRLF");
        body.append(in.substr(pos, size));
        pos += size + 2;
    }
}

}  // namespace

ParseOutcome parse_request(std::string_view in, const HttpLimits& limits) {
    std::size_t pos = 0;
    // RFC 9112 §2.2: ignore empty lines before the request line.
    while (in.size() - pos >= 2 && in.compare(pos, 2, "\r\n") == 0) pos += 2;
    if (pos == in.size() || (in.size() - pos == 1 && in[pos] == '\r')) {
        if (pos > limits.max_head) return error(400, "malformed request line");
        return incomplete();
    }

    ParsedRequest req;
    // The request line.
    const std::size_t lf = in.find('\n', pos);
    const std::size_t line_end = lf == std::string_view::npos ? in.size() : lf;
    for (std::size_t i = pos; i < line_end; ++i) {
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c == '\r' && i + 1 == line_end) continue;  // the CR of CRLF (or of a CRLF still coming)
        if (c < 0x20 || c == 0x7f) return error(400, "malformed request line");
    }
    if (lf == std::string_view::npos) {
        if (in.size() - pos > limits.max_head) return error(414, "request line too long");
        // Without a space within the first bytes, this is no method.
        const std::string_view start = in.substr(pos);
        const std::size_t sp = start.find(' ');
        if (sp == std::string_view::npos ? start.size() > 32 : !is_token(start.substr(0, sp)))
            return error(400, "malformed request line");
        return incomplete();
    }
    if (lf == pos || in[lf - 1] != '\r') return error(400, "malformed request: lines must end with CRLF");
    if (lf - pos > limits.max_head) return error(414, "request line too long");
    {
        ParseOutcome bad = check_request_line(in.substr(pos, lf - 1 - pos), req);
        if (bad.kind == Kind::Error) return bad;
    }
    const std::size_t head_start = pos;
    pos = lf + 1;

    // Header lines, each checked as soon as it is complete.
    bool head_done = false;
    while (!head_done) {
        const std::size_t eol = in.find('\n', pos);
        if (eol == std::string_view::npos) {
            if (in.size() - head_start > limits.max_head) return error(431, "request header fields too large");
            for (std::size_t i = pos; i < in.size(); ++i) {
                const unsigned char c = static_cast<unsigned char>(in[i]);
                if ((c < 0x20 && c != '\t' && !(c == '\r' && i + 1 == in.size())) || c == 0x7f)
                    return error(400, "invalid character in header");
            }
            return incomplete();
        }
        if (eol + 1 - head_start > limits.max_head) return error(431, "request header fields too large");
        if (eol == pos || in[eol - 1] != '\r') return error(400, "malformed request: lines must end with CRLF");
        const std::string_view line = in.substr(pos, eol - 1 - pos);
        pos = eol + 1;
        if (line.empty()) {
            head_done = true;
            break;
        }
        if (line.front() == ' ' || line.front() == '\t') return error(400, "obsolete header line folding");
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return error(400, "malformed header line: no colon");
        const std::string_view name = line.substr(0, colon);
        if (!is_token(name)) return error(400, "malformed header line: invalid header name");
        const std::string_view value = trim_ows(line.substr(colon + 1));
        for (unsigned char c : value)
            if ((c < 0x20 && c != '\t') || c == 0x7f) return error(400, "invalid character in header");
        if (req.headers.size() >= limits.max_headers) return error(431, "too many header fields");
        req.headers.emplace_back(lower(name), std::string(value));
    }

    // Framing and connection semantics.
    int hosts = 0;
    bool chunked = false, has_te = false, has_length = false;
    std::size_t length = 0;
    bool close = false, keep = false;
    for (const auto& [name, value] : req.headers) {
        if (name == "host") ++hosts;
        else if (name == "connection") {
            close = close || has_token(value, "close");
            keep = keep || has_token(value, "keep-alive");
        } else if (name == "transfer-encoding") {
            has_te = true;
            const std::string v = lower(value);
            if (v != "chunked") return error(501, "unsupported transfer coding");
            chunked = true;
        } else if (name == "content-length") {
            std::string_view list = value;
            while (true) {
                const std::size_t comma = list.find(',');
                const std::string_view item = trim_ows(list.substr(0, comma));
                if (item.empty() || item.size() > 15) return error(400, "invalid Content-Length");
                std::size_t n = 0;
                for (unsigned char c : item) {
                    if (!std::isdigit(c)) return error(400, "invalid Content-Length");
                    n = n * 10 + (c - '0');
                }
                if (has_length && n != length) return error(400, "invalid Content-Length");
                has_length = true;
                length = n;
                if (comma == std::string_view::npos) break;
                list.remove_prefix(comma + 1);
            }
        }
    }
    if (req.minor_version == 1 && hosts == 0) return error(400, "missing Host header");
    if (hosts > 1) return error(400, "more than one Host header");
    if (has_te && has_length) return error(400, "both Content-Length and Transfer-Encoding");
    if (has_te && req.minor_version == 0) return error(400, "Transfer-Encoding in an HTTP/1.0 request");
    req.keep_alive = req.minor_version == 1 ? !close : (keep && !close);

    ParseOutcome o;
    if (chunked) {
        o = parse_chunked(in, pos, limits, req.body);
        if (o.kind != Kind::Complete) return o;
    } else {
        if (length > limits.max_body) return error(413, "request body too large");
        if (in.size() - pos < length) return incomplete();
        req.body = std::string(in.substr(pos, length));
        o.kind = Kind::Complete;
        o.consumed = pos + length;
    }
    o.request = std::move(req);
    return o;
}

std::string origin_form(const std::string& target) {
    for (const char* scheme : {"http://", "https://"}) {
        const std::string s = scheme;
        if (target.compare(0, s.size(), s) == 0) {
            const std::size_t slash = target.find('/', s.size());
            const std::size_t query = target.find('?', s.size());
            if (slash == std::string::npos && query == std::string::npos) return "/";
            if (slash == std::string::npos || (query != std::string::npos && query < slash))
                return "/" + target.substr(query);
            return target.substr(slash);
        }
    }
    return target;
}

const char* reason_phrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 204: return "No Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 411: return "Length Required";
        case 413: return "Content Too Large";
        case 414: return "URI Too Long";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 505: return "HTTP Version Not Supported";
        default: return "Unknown";
    }
}

}  // namespace support_reports::api
