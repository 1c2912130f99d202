// reports-server: command line, signals and lifecycle.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <pthread.h>

#include "config.hpp"
#include "http_server.hpp"
#include "log.hpp"
#include "rollup_refresher.hpp"
#include "server.hpp"

using namespace support_reports::api;

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const CliResult cli = parse_cli(args, [](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);
        return v ? std::optional<std::string>(v) : std::nullopt;
    });
    if (cli.action == CliResult::Action::Help) {
        std::cout << usage();
        return 0;
    }
    if (cli.action == CliResult::Action::ListRoutes) {
        for (const auto& pattern : api_route_patterns()) std::cout << pattern << "\n";
        return 0;
    }
    if (cli.action == CliResult::Action::Error) {
        std::cerr << "reports-server: " << cli.message << "\n(see reports-server --help)\n";
        return 2;
    }

    // Blocked before any thread exists (the reactor, the workers, libpq), so only sigwait below sees them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a client or the database closing a socket must not kill us
    // A database host that drops packets must not hang a request in connect() for minutes.
    setenv("PGCONNECT_TIMEOUT", "5", 0);

    // Every client connection is a descriptor: take the whole allowance (the connection cap keeps
    // a reserve for the database pool and the rollup refresher).
    const long nofile = raise_open_file_limit();

    try {
        App app(cli.config);
        log_line(app.pool().probe());
        HttpServer server(app);
        server.start();
        log_line("listening on http://" + cli.config.host + ":" + std::to_string(server.port()) + " with " +
                 std::to_string(cli.config.threads) + " database workers, at most " +
                 std::to_string(server.max_connections()) + " connections (open-file limit " + std::to_string(nofile) +
                 ")");

        RollupRefresher rollup(cli.config.db, std::chrono::seconds(cli.config.rollup_interval_s));
        rollup.start();

        int sig = 0;
        sigwait(&stop_signals, &sig);
        rollup.stop();  // a refresh in progress is cancelled: it is redone at the next start
        log_line(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", draining " +
                 std::to_string(app.in_flight()) + " in-flight requests");
        app.start_draining();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(cli.config.drain_timeout_ms);
        while (app.in_flight() > 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (app.in_flight() > 0) log_line("drain timeout: " + std::to_string(app.in_flight()) + " requests still running");
        server.stop();
        log_line("stopped");
        return 0;
    } catch (const std::exception& e) {
        log_line(std::string("fatal: ") + one_line(e.what()));
        return 1;
    }
}
