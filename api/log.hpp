#pragma once

#include <string>

namespace support_reports::api {

// Writes "reports-server: <text>" as one line to stderr; concurrent writers never interleave
// within a line. Callers must not pass tokens or other secrets.
void log_line(const std::string& text);

// Joins a multi-line message (libpq's) into one line for the log.
std::string one_line(std::string text);

}  // namespace support_reports::api
