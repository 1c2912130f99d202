// A fixed pool of libpqxx connections, one per HTTP worker thread. A connection is opened when a
// request first needs it, gets the session settings and every prepared statement, and is
// discarded when it breaks; the next request opens a new one, so the server recovers by itself
// when the database comes back.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace support_reports::api {

// The database cannot be reached (answers 503).
class DbUnavailable : public std::runtime_error {
public:
    DbUnavailable() : std::runtime_error("database unavailable") {}
};

// No connection became free in time (answers 503). With one connection per worker thread this
// only happens if a connection leaks out of a request.
class PoolExhausted : public std::runtime_error {
public:
    PoolExhausted() : std::runtime_error("no database connection free") {}
};

struct Statement {
    const char* name;
    const char* sql;
};
// Every statement the routes run, prepared on each connection (statements.cpp).
const std::vector<Statement>& prepared_statements();

using Params = std::vector<std::optional<std::string>>;

class Pool {
public:
    Pool(std::string conninfo, int size, int statement_timeout_ms);
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        // Runs a prepared statement. A connection that breaks on its first use in this lease
        // (typically one opened before a database restart) is replaced and the statement retried
        // once: every statement is a read-only query, so running it twice is harmless.
        pqxx::result exec(const std::string& statement, const Params& params);

    private:
        friend class Pool;
        Lease(Pool* pool, std::size_t slot) : pool_(pool), slot_(slot) {}
        Pool* pool_;
        std::size_t slot_;
    };

    // Throws PoolExhausted when no connection frees up within `wait`.
    Lease acquire(std::chrono::milliseconds wait);

    // Opens one connection and checks that the extension is installed; returns a message for the
    // log (startup diagnostics only, never fatal).
    std::string probe();

private:
    struct Slot {
        std::unique_ptr<pqxx::connection> conn;
        bool busy = false;
    };
    pqxx::connection& connected(Slot& slot);
    void release(std::size_t slot);
    void mark_down(const std::string& why);
    void mark_up();

    const std::string conninfo_;
    const int statement_timeout_ms_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Slot> slots_;
    // After a failed connect, further attempts wait a little, so a dead database costs each
    // request a fast 503 instead of a connect attempt.
    std::atomic<std::int64_t> retry_after_ns_{0};
    std::atomic<bool> down_{false};
};

}  // namespace support_reports::api
