// Keeps the extension's hourly rollup (reports.refresh_rollup, sql/ext/35_rollup.sql) fresh from
// a background thread: once at startup, then every interval. The reports are exact without it;
// with it the account summary reads whole hours from the rollup. It uses its own connection (the
// report connections are read-only) and stops for good when the database says it may not, or
// cannot, refresh (no privilege, an extension without the rollup).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <pqxx/connection>

namespace support_reports::api {

class RollupRefresher {
public:
    RollupRefresher(std::string conninfo, std::chrono::seconds interval);
    RollupRefresher(const RollupRefresher&) = delete;
    RollupRefresher& operator=(const RollupRefresher&) = delete;
    ~RollupRefresher();

    void start();
    // Cancels a refresh in progress (its transaction rolls back) and joins the thread.
    void stop();

private:
    void run();
    // Returns false when refreshing can never work with this database and role.
    bool refresh_once();

    const std::string conninfo_;
    const std::chrono::seconds interval_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool finished_ = false;                // run() has returned
    pqxx::connection* running_ = nullptr;  // the connection of a refresh in progress, for stop()
    std::thread thread_;
};

}  // namespace support_reports::api
