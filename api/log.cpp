#include "log.hpp"

#include <unistd.h>

namespace support_reports::api {

void log_line(const std::string& text) {
    const std::string line = "reports-server: " + text + "\n";
    // A single write(2) of a short line is not split by other threads' writes.
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

}  // namespace support_reports::api
