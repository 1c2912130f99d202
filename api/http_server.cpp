#include "http_server.hpp"

#include <cctype>
#include <chrono>
#include <map>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include "log.hpp"
#include "work_queue.hpp"

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

// Lower-case header names, for the case-insensitive lookups routes make.
std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// One request between the reactor thread that read it and the worker that answers it. The
// Pistache request object is reset for the connection's next request as soon as onRequest
// returns, so everything the worker needs is copied out of it.
struct PendingRequest {
    PendingRequest(App* a, Http::ResponseWriter w, IncomingRequest r, std::map<std::string, std::string> h,
                   std::chrono::steady_clock::time_point t)
        : app(a), writer(std::move(w)), request(std::move(r)), headers(std::move(h)), started(t) {
        request.header = [this](std::string_view name) -> std::optional<std::string> {
            const auto it = headers.find(lower(std::string(name)));
            return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        app->enter();
    }
    PendingRequest(const PendingRequest&) = delete;
    PendingRequest& operator=(const PendingRequest&) = delete;

    // Writes the reply (Pistache queues the bytes for the connection's reactor thread, so this is
    // safe from any thread), logs the request and leaves the in-flight count.
    void finish(const Reply& reply) {
        try {
            writer.headers().add(std::make_shared<TextHeader>("Content-Type", reply.content_type));
            for (const auto& [name, value] : reply.headers)
                writer.headers().add(std::make_shared<TextHeader>(name, value));
            writer.send(static_cast<Http::Code>(reply.status), reply.body);
        } catch (const std::exception& e) {
            // typically the client went away while its report ran
            log_line(std::string("could not send the response: ") + one_line(e.what()));
        }
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        const std::string query = redact_query(request.raw_query);
        log_line(request.method + " " + request.path + (query.empty() ? "" : "?" + query) + " " +
                 std::to_string(reply.status) + " " + std::to_string(ms.count()) + "ms");
        app->leave();
    }

    App* app;
    Http::ResponseWriter writer;
    IncomingRequest request;
    std::map<std::string, std::string> headers;  // lower-case names
    std::chrono::steady_clock::time_point started;
};

Reply busy_reply(const std::string& error, int retry_after_s) {
    Reply r = json_reply(Json{{"error", error}}, 503);
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return r;
}

class ApiHandler : public Http::Handler {
public:
    HTTP_PROTOTYPE(ApiHandler)

    ApiHandler(App* app, WorkQueue* workers) : app_(app), workers_(workers) {}

    // Replaces Http::Handler::onConnection, which installs the stock parser and nothing else.
    void onConnection(const std::shared_ptr<Tcp::Peer>& peer) override {
        std::shared_ptr<Http::RequestParser> parser = std::make_shared<RawRequestParser>(getMaxRequestSize());
        peer->putData(ParserData, parser);
    }

    // Runs on a reactor thread: copies the request out and queues it; never blocks.
    void onRequest(const Http::Request& req, Http::ResponseWriter response) override {
        const auto started = std::chrono::steady_clock::now();
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
        std::map<std::string, std::string> headers;
        for (const auto& [name, raw] : req.headers().rawList()) headers[lower(name)] = raw.value();

        auto pending = std::make_shared<PendingRequest>(app_, std::move(response), std::move(in), std::move(headers),
                                                        started);
        if (app_->draining()) {
            pending->finish(busy_reply("server is shutting down", 5));
            return;
        }
        workers_->submit({[pending] { pending->finish(pending->app->handle(pending->request)); },
                          [pending] { pending->finish(busy_reply("server busy", 1)); }});
    }

private:
    App* app_;
    WorkQueue* workers_;
};

}  // namespace

HttpServer::HttpServer(App& app) : app_(app) {}

HttpServer::~HttpServer() { stop(); }

std::chrono::milliseconds HttpServer::request_budget(const Config& c) {
    // A request's statements (authentication, then at most a few per report) each stop at the
    // statement timeout; rendering and writing get a generous margin on top.
    constexpr int kStatementsPerRequest = 4;
    const std::chrono::milliseconds statements =
        c.statement_timeout_ms > 0 ? std::chrono::milliseconds(std::int64_t{kStatementsPerRequest} * c.statement_timeout_ms)
                                   : std::chrono::hours(24);
    const std::chrono::milliseconds queue =
        c.queue_timeout_ms > 0 ? std::chrono::milliseconds(c.queue_timeout_ms) : std::chrono::hours(24);
    return queue + statements + std::chrono::seconds(10);
}

void HttpServer::start() {
    const Config& c = app_.config();
    workers_ = std::make_unique<WorkQueue>(c.threads, std::chrono::milliseconds(c.queue_timeout_ms), kMaxWaiting);
    endpoint_ = std::make_unique<Http::Endpoint>(Address(c.host, Port(c.port)));
    // Pistache measures its header timeout from the moment a request was read until its response
    // is sent, because it rearms the clock only when the next request starts. So the header and
    // body timeouts must cover the longest a request may legitimately take (queue wait plus
    // statements), and the keep-alive timeout more than that, or Pistache closes the connection
    // of a report that is still running -- or right after its response was queued, before the
    // bytes are out. A slow client therefore holds a socket for up to that budget, but no thread:
    // the reactor never blocks.
    const auto budget = request_budget(c);
    auto options = Http::Endpoint::options()
                       .threads(kReactorThreads)
                       .threadsName("reports-http")
                       .flags(Tcp::Options::ReuseAddr)
                       .backlog(1024)
                       // GET requests only: 16 KiB holds any header set and a long filter list, and
                       // bounds what a client can make the server buffer.
                       .maxRequestSize(16 * 1024)
                       .maxResponseSize(256 * 1024 * 1024)
                       .headerTimeout(budget)
                       .bodyTimeout(budget)
                       .keepaliveTimeout(budget + std::chrono::seconds(30));
    endpoint_->init(options);
    endpoint_->setHandler(std::make_shared<ApiHandler>(&app_, workers_.get()));
    endpoint_->serveThreaded();
}

std::uint16_t HttpServer::port() const { return endpoint_ ? static_cast<std::uint16_t>(endpoint_->getPort()) : 0; }

void HttpServer::stop() {
    // Workers first: they hold response writers that point into the endpoint's transports.
    if (workers_) workers_->stop();
    if (endpoint_) {
        endpoint_->shutdown();
        endpoint_.reset();  // joins the reactor threads
    }
    workers_.reset();
}

}  // namespace support_reports::api
