#include "guard.hpp"

#include <cstring>

namespace support_reports::pg {

namespace {

void copy_text(char* dst, std::size_t cap, const char* src) noexcept {
    std::size_t n = std::strlen(src);
    if (n >= cap) n = cap - 1;
    std::memcpy(dst, src, n);
    dst[n] = '\0';
}

int sqlstate_of(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::InvalidParameter: return ERRCODE_INVALID_PARAMETER_VALUE;
        case ErrorKind::OutOfRange: return ERRCODE_DATETIME_VALUE_OUT_OF_RANGE;
        case ErrorKind::ProgramLimit: return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
        case ErrorKind::DataCorrupted: return ERRCODE_DATA_CORRUPTED;
    }
    return ERRCODE_INTERNAL_ERROR;
}

}  // namespace

void capture_current_exception(PendingError& out) noexcept {
    out.hint[0] = '\0';
    try {
        throw;
    } catch (const Error& e) {
        out.sqlstate = sqlstate_of(e.kind());
        copy_text(out.message, sizeof out.message, e.what());
        copy_text(out.hint, sizeof out.hint, e.hint().c_str());
    } catch (const std::bad_alloc&) {
        out.sqlstate = ERRCODE_OUT_OF_MEMORY;
        copy_text(out.message, sizeof out.message, "out of memory in support_reports");
    } catch (const std::exception& e) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        copy_text(out.message, sizeof out.message, e.what());
    } catch (...) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        copy_text(out.message, sizeof out.message, "unknown C++ exception in support_reports");
    }
}

void raise_error(const PendingError& err) {
    ereport(ERROR, (errcode(err.sqlstate), errmsg("%s", err.message),
                    err.hint[0] != '\0' ? errhint("%s", err.hint) : 0));
    pg_unreachable();
}

}  // namespace support_reports::pg
