#include "rollup_refresher.hpp"

#include <pqxx/pqxx>

#include "http_util.hpp"
#include "log.hpp"

namespace support_reports::api {

RollupRefresher::RollupRefresher(std::string conninfo, std::chrono::seconds interval)
    : conninfo_(std::move(conninfo)), interval_(interval) {}

RollupRefresher::~RollupRefresher() { stop(); }

void RollupRefresher::start() {
    if (interval_.count() <= 0 || thread_.joinable()) return;
    thread_ = std::thread([this] { run(); });
}

void RollupRefresher::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (!thread_.joinable()) return;
    // A cancel that reaches the server between two statements cancels nothing, so it is repeated
    // until the thread has finished.
    std::unique_lock<std::mutex> lock(mu_);
    while (!finished_) {
        if (running_) {
            try {
                running_->cancel_query();
            } catch (const std::exception&) {
                // the refresh is ending anyway
            }
        }
        cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return finished_; });
    }
    lock.unlock();
    thread_.join();
}

void RollupRefresher::run() {
    for (;;) {
        if (!refresh_once()) break;
        std::unique_lock<std::mutex> lock(mu_);
        if (cv_.wait_for(lock, interval_, [this] { return stopping_; })) break;
    }
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
    cv_.notify_all();
}

bool RollupRefresher::refresh_once() {
    const auto started = std::chrono::steady_clock::now();
    try {
        pqxx::connection conn(conninfo_);
        {
            std::lock_guard<std::mutex> lock(mu_);
            if (stopping_) return false;
            running_ = &conn;
        }
        struct Clear {
            RollupRefresher* self;
            ~Clear() {
                std::lock_guard<std::mutex> lock(self->mu_);
                self->running_ = nullptr;
            }
        } clear{this};
        // The first refresh of a large database reads every row once: no statement timeout.
        pqxx::work tx(conn, "rollup");
        const pqxx::row r = tx.exec1(
            "SET LOCAL statement_timeout = 0; SET LOCAL application_name = 'reports-server rollup'; "
            "SELECT covered_until, dirty_hours_recomputed, rows_written FROM reports.refresh_rollup()");
        tx.commit();
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        const long long recomputed = r[1].as<long long>(), written = r[2].as<long long>();
        if (recomputed > 0 || written > 0) {
            log_line("rollup refreshed up to " + r[0].as<std::string>("-infinity") + ": " + std::to_string(recomputed) +
                     " changed hours recomputed, " + std::to_string(written) + " rows written, " +
                     std::to_string(ms.count()) + "ms");
        }
        return true;
    } catch (const pqxx::insufficient_privilege& e) {
        log_line("rollup refresh disabled, this role may not write the rollup: " + parse_pg_message(e.what()).message);
        return false;
    } catch (const pqxx::undefined_function&) {
        log_line("rollup refresh disabled, the installed extension has no reports.refresh_rollup()");
        return false;
    } catch (const pqxx::broken_connection& e) {
        log_line("rollup refresh skipped, database unavailable: " + one_line(e.what()));
    } catch (const pqxx::sql_error& e) {
        bool stopping;
        {
            std::lock_guard<std::mutex> lock(mu_);
            stopping = stopping_;
        }
        if (stopping) return false;  // cancelled by stop()
        log_line("rollup refresh failed (" + e.sqlstate() + "): " + parse_pg_message(e.what()).message);
    } catch (const std::exception& e) {
        log_line(std::string("rollup refresh failed: ") + one_line(e.what()));
    }
    return true;
}

}  // namespace support_reports::api
