// reports-server's HTTP/1.1 request framing (api/http_parser.cpp) on arbitrary bytes. Invariants:
// a Complete parse consumes at most the buffer and parses the same when given only its bytes;
// every strict prefix of a complete request is Incomplete (so the early 400s never fire on a
// request that is merely still arriving); errors carry one of the statuses the server documents.
#include <string_view>

#include "fuzz_input.hpp"
#include "http_parser.hpp"

namespace api = support_reports::api;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    api::HttpLimits limits;
    limits.max_head = 512;
    limits.max_body = 256;
    limits.max_headers = 16;
    const api::ParseOutcome o = api::parse_request(in, limits);
    using Kind = api::ParseOutcome::Kind;
    if (o.kind == Kind::Error) {
        switch (o.status) {
            case 400: case 413: case 414: case 431: case 501: case 505: break;
            default: fuzz::fail("unexpected error status");
        }
        if (o.error.empty()) fuzz::fail("an error without a message");
        return 0;
    }
    if (o.kind == Kind::Incomplete) return 0;
    if (o.consumed == 0 || o.consumed > size) fuzz::fail("consumed outside the buffer");
    const api::ParseOutcome again = api::parse_request(in.substr(0, o.consumed), limits);
    if (again.kind != Kind::Complete || again.consumed != o.consumed || again.request.target != o.request.target ||
        again.request.body != o.request.body)
        fuzz::fail("the request parses differently on its own bytes");
    for (std::size_t k = 0; k < 8; ++k) {
        const std::size_t p = o.consumed * k / 8;
        const api::ParseOutcome prefix = api::parse_request(in.substr(0, p), limits);
        if (prefix.kind != Kind::Incomplete) fuzz::fail("a prefix of a complete request is not Incomplete");
    }
    if (o.request.method.empty() || o.request.target.empty()) fuzz::fail("empty method or target");
    if (o.request.body.size() > limits.max_body) fuzz::fail("body over the limit");
    return 0;
}
