#include "db_pool.hpp"

#include "http_util.hpp"
#include "log.hpp"

namespace support_reports::api {

namespace {

constexpr std::chrono::milliseconds kReconnectBackoff{250};

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Pool::Pool(std::string conninfo, int size, int statement_timeout_ms)
    : conninfo_(std::move(conninfo)), statement_timeout_ms_(statement_timeout_ms), slots_(static_cast<std::size_t>(size)) {}

Pool::Lease Pool::acquire(std::chrono::milliseconds wait) {
    std::unique_lock<std::mutex> lock(mu_);
    std::size_t found = slots_.size();
    const bool ok = cv_.wait_for(lock, wait, [&] {
        for (std::size_t i = 0; i < slots_.size(); ++i)
            if (!slots_[i].busy) {
                found = i;
                return true;
            }
        return false;
    });
    if (!ok) throw PoolExhausted();
    slots_[found].busy = true;
    return Lease(this, found);
}

void Pool::release(std::size_t slot) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        slots_[slot].busy = false;
    }
    cv_.notify_one();
}

void Pool::mark_down(const std::string& why) {
    retry_after_ns_.store(now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(kReconnectBackoff).count());
    if (!down_.exchange(true)) log_line("database unavailable: " + one_line(why));
}

void Pool::mark_up() {
    if (down_.exchange(false)) log_line("database connection restored");
}

pqxx::connection& Pool::connected(Slot& slot) {
    if (slot.conn && slot.conn->is_open()) return *slot.conn;
    slot.conn.reset();
    if (now_ns() < retry_after_ns_.load()) throw DbUnavailable();
    try {
        auto conn = std::make_unique<pqxx::connection>(conninfo_);
        conn->set_client_encoding("UTF8");
        {
            pqxx::nontransaction tx(*conn);
            // Read-only sessions: the server never writes, whatever a statement does.
            tx.exec_params("SELECT set_config('statement_timeout', $1, false), "
                           "set_config('default_transaction_read_only', 'on', false), "
                           "set_config('TimeZone', 'UTC', false), "
                           "set_config('application_name', 'reports-server', false)",
                           std::to_string(statement_timeout_ms_));
        }
        for (const auto& st : prepared_statements()) conn->prepare(st.name, st.sql);
        slot.conn = std::move(conn);
        mark_up();
        return *slot.conn;
    } catch (const pqxx::broken_connection& e) {
        mark_down(e.what());
        throw DbUnavailable();
    } catch (const pqxx::sql_error& e) {
        if (classify_sqlstate(e.sqlstate()) != DbErrorKind::Unavailable) throw;
        mark_down(e.what());
        throw DbUnavailable();
    }
}

Pool::Lease::Lease(Lease&& other) noexcept : pool_(other.pool_), slot_(other.slot_) { other.pool_ = nullptr; }

Pool::Lease::~Lease() {
    if (pool_) pool_->release(slot_);
}

pqxx::result Pool::Lease::exec(const std::string& statement, const Params& params) {
    Slot& slot = pool_->slots_[slot_];
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    for (int attempt = 0;; ++attempt) {
        const bool reused = slot.conn != nullptr;
        pqxx::connection& conn = pool_->connected(slot);
        try {
            pqxx::nontransaction tx(conn);
            return tx.exec_prepared(statement, pqxx::prepare::make_dynamic_params(values));
        } catch (const pqxx::broken_connection& e) {
            slot.conn.reset();
            if (attempt == 0 && reused) continue;
            pool_->mark_down(e.what());
            throw DbUnavailable();
        } catch (const pqxx::sql_error& e) {
            if (classify_sqlstate(e.sqlstate()) != DbErrorKind::Unavailable) throw;
            slot.conn.reset();
            if (attempt == 0 && reused) continue;
            pool_->mark_down(e.what());
            throw DbUnavailable();
        }
    }
}

std::string Pool::probe() {
    try {
        Lease lease = acquire(std::chrono::milliseconds(1000));
        const auto r = lease.exec("extension_version", {});
        if (r.empty()) return "warning: the support_reports extension is not installed in this database";
        return "database ok, support_reports " + r[0][0].as<std::string>();
    } catch (const DbUnavailable&) {
        return "warning: the database is not reachable yet; requests answer 503 until it is";
    } catch (const std::exception& e) {
        return std::string("warning: database check failed: ") + one_line(e.what());
    }
}

}  // namespace support_reports::api
