#include "http_server.hpp"

#include <chrono>
#include <cstdio>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include "log.hpp"

namespace support_reports::api {

namespace {

using namespace Pistache;

// Pistache 0.0.5 parses the query into an unordered_map that keeps only the first value of a
// repeated key (`user_ids[]=1&user_ids[]=2` loses the 2) and decodes nothing. This request-line
// step records the raw line before the stock step parses it, so the server can parse the query
// itself. It plugs in through public and protected API only: the handler installs its own
// parser in onConnection, the parser swaps in this step.
class RawRequestLineStep : public Http::Private::RequestLineStep {
public:
    RawRequestLineStep(Http::Request* request, std::string* line) : RequestLineStep(request), line_(line) {}

    Http::Private::State apply(StreamCursor& cursor) override {
        const char* begin = cursor.offset();
        const Http::Private::State state = RequestLineStep::apply(cursor);
        if (state == Http::Private::State::Next) line_->assign(begin, static_cast<std::size_t>(cursor.offset() - begin));
        return state;
    }

private:
    std::string* line_;
};

class RawRequestParser : public Http::RequestParser {
public:
    explicit RawRequestParser(std::size_t max_size) : Http::RequestParser(max_size) {
        allSteps[0] = std::make_unique<RawRequestLineStep>(&request, &request_line);
    }
    void reset() override {
        Http::RequestParser::reset();
        request_line.clear();
    }
    std::string request_line;  // "GET /path?query HTTP/1.1\r\n" of the request being parsed
};

// The request target of a request line, in origin form ("/path?query").
std::string target_of(const std::string& line) {
    const std::size_t a = line.find(' ');
    if (a == std::string::npos) return "";
    const std::size_t b = line.find(' ', a + 1);
    std::string target = line.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
    for (const char* scheme : {"http://", "https://"}) {
        const std::string s = scheme;
        if (target.compare(0, s.size(), s) == 0) {
            const std::size_t slash = target.find('/', s.size());
            target = slash == std::string::npos ? "/" : target.substr(slash);
        }
    }
    return target;
}

// A response header with a name chosen at run time (Pistache serialises only typed headers).
class TextHeader : public Http::Header::Header {
public:
    TextHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
    const char* name() const override { return name_.c_str(); }
    void write(std::ostream& os) const override { os << value_; }
    uint64_t hash() const override { return Http::Header::detail::hash(name_.c_str()); }

private:
    std::string name_;
    std::string value_;
};

class ApiHandler : public Http::Handler {
public:
    HTTP_PROTOTYPE(ApiHandler)

    explicit ApiHandler(App* app) : app_(app) {}

    // Replaces Http::Handler::onConnection, which installs the stock parser and nothing else.
    void onConnection(const std::shared_ptr<Tcp::Peer>& peer) override {
        std::shared_ptr<Http::RequestParser> parser = std::make_shared<RawRequestParser>(getMaxRequestSize());
        peer->putData(ParserData, parser);
    }

    void onRequest(const Http::Request& req, Http::ResponseWriter response) override {
        const auto started = std::chrono::steady_clock::now();
        struct InFlight {
            App* app;
            explicit InFlight(App* a) : app(a) { app->enter(); }
            ~InFlight() { app->leave(); }
        } in_flight(app_);

        std::string target;
        try {
            auto parser = getParser(response.peer());
            if (auto* raw = dynamic_cast<RawRequestParser*>(parser.get())) target = target_of(raw->request_line);
        } catch (const std::exception&) {
            // the peer is gone; the fallback below still routes the request
        }
        if (target.empty()) target = req.resource() + req.query().as_str();
        const std::size_t q = target.find('?');
        IncomingRequest in;
        in.method = Http::methodString(req.method());
        in.path = target.substr(0, q);
        in.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
        const auto& headers = req.headers();
        in.header = [&headers](std::string_view name) -> std::optional<std::string> {
            const auto raw = headers.tryGetRaw(std::string(name));
            return raw ? std::optional<std::string>(raw->value()) : std::nullopt;
        };

        const Reply reply = app_->handle(in);
        try {
            response.headers().add(std::make_shared<TextHeader>("Content-Type", reply.content_type));
            for (const auto& [name, value] : reply.headers)
                response.headers().add(std::make_shared<TextHeader>(name, value));
            response.send(static_cast<Http::Code>(reply.status), reply.body);
        } catch (const std::exception& e) {
            log_line(std::string("could not send the response: ") + one_line(e.what()));
        }

        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        const std::string query = redact_query(in.raw_query);
        log_line(in.method + " " + in.path + (query.empty() ? "" : "?" + query) + " " + std::to_string(reply.status) +
                 " " + std::to_string(ms.count()) + "ms");
    }

private:
    App* app_;
};

}  // namespace

HttpServer::HttpServer(App& app) : app_(app) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    const Config& c = app_.config();
    endpoint_ = std::make_unique<Http::Endpoint>(Address(c.host, Port(c.port)));
    auto options = Http::Endpoint::options()
                       .threads(c.threads)
                       .threadsName("reports-http")
                       .flags(Tcp::Options::ReuseAddr)
                       .backlog(256)
                       // GET requests only: 16 KiB holds any header set and a long filter list, and
                       // bounds what a client can make the server buffer.
                       .maxRequestSize(16 * 1024)
                       .maxResponseSize(256 * 1024 * 1024)
                       // Slow or idle clients must not pin a connection for Pistache's default minute.
                       .headerTimeout(std::chrono::seconds(10))
                       .bodyTimeout(std::chrono::seconds(10))
                       .keepaliveTimeout(std::chrono::seconds(30));
    endpoint_->init(options);
    endpoint_->setHandler(std::make_shared<ApiHandler>(&app_));
    endpoint_->serveThreaded();
}

std::uint16_t HttpServer::port() const { return endpoint_ ? static_cast<std::uint16_t>(endpoint_->getPort()) : 0; }

void HttpServer::stop() {
    if (!endpoint_) return;
    endpoint_->shutdown();
    endpoint_.reset();  // joins the worker threads
}

}  // namespace support_reports::api
