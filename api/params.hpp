// Request parameters: the raw query string, percent-decoded, and the parsers for every kind of
// value the routes accept. Pure C++ (no HTTP or database headers), unit-tested in tests/api.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace support_reports::api {

// A client mistake in one parameter. `status` is 400 for a value that cannot be parsed at all and
// 422 for one that parses but is not acceptable.
class ParamError : public std::runtime_error {
public:
    ParamError(int status, std::string parameter, const std::string& message)
        : std::runtime_error(message), status_(status), parameter_(std::move(parameter)) {}
    int status() const { return status_; }
    const std::string& parameter() const { return parameter_; }

private:
    int status_;
    std::string parameter_;
};

// Percent-decodes one query component ('+' is a space, as in HTML forms and Rails). Returns
// nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view in);

// The query string as an ordered list of (key, value) pairs. Pistache 0.0.5 keeps only the first
// value of a repeated key and does not decode anything, so the server parses the raw request
// target itself: `user_ids[]=1&user_ids[]=2` must reach the route as two values.
class QueryParams {
public:
    QueryParams() = default;
    // Throws ParamError(400) naming the key when an escape is malformed.
    static QueryParams parse(std::string_view raw_query);

    // First value of `key`; an empty value counts as absent (Rails' `present?`).
    std::optional<std::string> get(std::string_view key) const;
    bool has(std::string_view key) const;
    // Every non-empty value of `key[]` and of `key`, in order (Rails accepts both spellings).
    std::vector<std::string> get_all(std::string_view key) const;
    const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

private:
    std::vector<std::pair<std::string, std::string>> pairs_;
};

// The raw query with every api_access_token and access-token parameter removed, for the request log.
std::string redact_query(std::string_view raw_query);

// Unix seconds: an optional sign, digits, and an ignored fractional part (Chatwoot reads "1.5" as
// 1). Limited to [0, 253402300799] (years 1970..9999), the range every report can represent.
std::int64_t parse_unix_seconds(std::string_view parameter, std::string_view value);

// A database id: digits only, at least 1. Values beyond int64 are reported as 400 too.
std::int64_t parse_id(std::string_view parameter, std::string_view value);

// A list of ids (every element parsed by parse_id).
std::vector<std::int64_t> parse_id_list(std::string_view parameter, const std::vector<std::string>& values);

// A small positive integer such as a page number or a day count, within [min, max].
std::int64_t parse_int_in(std::string_view parameter, std::string_view value, std::int64_t min, std::int64_t max);

// A finite decimal number ("5.5", "-3.5", "1e3").
double parse_number(std::string_view parameter, std::string_view value);

// Rails' ActiveModel::Type::Boolean: absent or "" is nil (here: false); "0", "f", "F", "false",
// "FALSE", "off" and "OFF" are false; every other value is true.
bool parse_rails_bool(const std::optional<std::string>& value);

// `timezone_offset` in hours (fractional allowed, e.g. 5.5 or -3.5) as seconds, rounded to the
// minute. Accepts [-14, 14] hours.
int parse_offset_seconds(std::string_view parameter, std::string_view value);

// Renders ids as a Postgres array literal ("{1,2,3}").
std::string pg_int_array(const std::vector<std::int64_t>& ids);
std::string pg_float_array(const std::vector<double>& values);

// Splits a path into its non-empty segments ("/a//b/" -> {"a", "b"}), percent-decoding each.
std::vector<std::string> split_path(std::string_view path);

}  // namespace support_reports::api
