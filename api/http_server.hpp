// The Pistache side: an Http::Handler that hands every request to App and writes the reply, plus
// the endpoint lifecycle.
#pragma once

#include <cstdint>
#include <memory>

#include "server.hpp"

namespace Pistache::Http {
class Endpoint;
}

namespace support_reports::api {

class HttpServer {
public:
    explicit HttpServer(App& app);
    ~HttpServer();
    // Binds and starts the worker threads; throws on a bind failure.
    void start();
    std::uint16_t port() const;
    // Stops accepting and joins the worker threads.
    void stop();

private:
    App& app_;
    std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace support_reports::api
