// The outward exception guard. Every entry point runs its C++ work through call_core(): an exception
// is caught, its message copied into a plain buffer, and the ERROR raised only after the try block
// has ended, so no C++ destructor is ever skipped by Postgres' longjmp and no exception ever
// reaches a Postgres frame. Postgres functions that can raise are called only outside call_core().
#pragma once

#include <exception>
#include <new>
#include <type_traits>

#include "support_reports/error.hpp"
#include "postgres.hpp"

namespace support_reports::pg {

// Plain data only: it must survive until ereport without a destructor.
struct PendingError {
    int sqlstate;
    char message[1024];
    char hint[512];
};

void capture_current_exception(PendingError& out) noexcept;
[[noreturn]] void raise_error(const PendingError& err);

template <class F>
auto call_core(F&& body) -> decltype(body()) {
    static_assert(std::is_trivially_destructible_v<decltype(body())> || std::is_void_v<decltype(body())>,
                  "core results crossing the boundary must be plain data");
    PendingError err;
    try {
        return body();
    } catch (...) {
        capture_current_exception(err);
    }
    raise_error(err);
}

}  // namespace support_reports::pg
