// Output formatting: CSV with the formula-injection guard, Chatwoot's duration text, channel
// display names, JSON serialisation. Pure C++, unit-tested in tests/api.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace support_reports::api {

using Json = nlohmann::ordered_json;  // key order is part of the wire format

// Serialises for the wire. Strings from the database may hold invalid UTF-8; they are replaced
// with U+FFFD instead of throwing.
std::string dump_json(const Json& value);

// Whether a cell is a plain number ("-5", "3.25", "+1", "1e3"): spreadsheets read these as
// numbers, never as formulas, so the guard leaves them alone.
bool is_plain_number(std::string_view cell);

// One CSV cell: a text that a spreadsheet would take for a formula (leading '=', '+', '-', '@',
// tab or carriage return, and not a plain number) gets a leading apostrophe; then RFC 4180
// quoting when the text holds a comma, a quote or a line break.
std::string csv_cell(std::string_view text);

// One CSV line ending in "\n"; nullopt cells are empty.
std::string csv_line(const std::vector<std::optional<std::string>>& cells);

// Chatwoot's TimeFormatPresenter: nil or 0 (after truncation to whole seconds) -> "N/A"; else the
// first two non-zero of days, hours, minutes, seconds, pluralised ("1 day 2 hours",
// "45 minutes 3 seconds", "1 hour"). Negative durations, which no report should produce, are N/A.
std::string format_duration(std::optional<double> seconds);

// Chatwoot's channel display name for an inbox's channel_type ("Channel::WebWidget" -> "Website").
std::string channel_display_name(std::string_view channel_type);

// "YYYY-MM-DD" of a unix time, UTC.
std::string utc_date(std::int64_t unix_seconds);

}  // namespace support_reports::api
