// The one exception type core code throws. The Postgres boundary turns it into an ERROR with a
// real SQLSTATE; the REST server turns it into a 4xx. Core code never formats SQL or HTTP itself.
#pragma once

#include <stdexcept>
#include <string>

namespace support_reports {

enum class ErrorKind {
    InvalidParameter,  // SQLSTATE 22023 invalid_parameter_value
    OutOfRange,        // SQLSTATE 22008 datetime_field_overflow / 22003 numeric_value_out_of_range
    ProgramLimit,      // SQLSTATE 54000 program_limit_exceeded (a state would grow past its limit)
    DataCorrupted,     // SQLSTATE XX001 data_corrupted (an aggregate state that is not ours)
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string parameter, const std::string& message, std::string hint = {})
        : std::runtime_error(message), kind_(kind), parameter_(std::move(parameter)), hint_(std::move(hint)) {}

    ErrorKind kind() const noexcept { return kind_; }
    // The SQL argument or HTTP parameter the error is about ("period", "tz", "schedule"...).
    const std::string& parameter() const noexcept { return parameter_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    ErrorKind kind_;
    std::string parameter_;
    std::string hint_;
};

[[noreturn]] inline void invalid_parameter(const std::string& parameter, const std::string& message,
                                           const std::string& hint = {}) {
    throw Error(ErrorKind::InvalidParameter, parameter, message, hint);
}

}  // namespace support_reports

#include "support_reports/core_only.hpp"
