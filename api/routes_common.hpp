// Parameter handling and rendering shared by the route families.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "server.hpp"

namespace support_reports::api {

// since/until as unix seconds; absent stays nullopt (the SQL function decides whether it may be).
struct TimeRange {
    std::optional<std::int64_t> since;
    std::optional<std::int64_t> until;
};
// Parses both and rejects since >= until (422, parameter since).
TimeRange parse_range(const RequestContext& ctx);
std::optional<std::string> text_of(const std::optional<std::int64_t>& v);
std::string bool_text(bool b);

// Chatwoot's `type`/`id` report scope. An id that is not one of the account's answers 404.
struct Scope {
    std::string type = "account";
    std::optional<std::int64_t> id;
};
Scope parse_scope(RequestContext& ctx);

// Throws 404 unless `id` is one of the account's agents/inboxes/teams/labels.
void require_entity(RequestContext& ctx, const std::string& type, std::int64_t id);

// The zone a report buckets in: `timezone` (an IANA name or a Rails zone name) wins, then
// `timezone_offset` mapped like Chatwoot's TZ_CURRENT (first Rails zone whose current offset is
// the given one, else a fixed-offset zone), else UTC.
std::string resolve_zone(RequestContext& ctx);

// Output format. `format=csv|json` or a .csv/.json suffix choose; `Accept: text/csv` counts only
// where `accept_counts` (the seed's agents route: Chatwoot's own CSV routes must keep answering
// CSV to its dashboard, whose requests accept application/json).
enum class Format { Json, Csv };
Format negotiate(const RequestContext& ctx, Format default_format, bool accept_counts);

// "Reporting period 2024-01-01 to 2024-01-31" (UTC dates of since and until).
std::string period_text(const TimeRange& range);

// Rows as a CSV file in Chatwoot's report layout: the period line, two empty lines, the header.
std::string report_csv(const TimeRange& range, const std::vector<std::optional<std::string>>& header,
                       const std::vector<std::vector<std::optional<std::string>>>& rows);

// A list filter (`user_ids[]`, `inbox_ids[]`, ...) as a Postgres int array, or NULL (no filter)
// when the list is empty. Ids beyond int range cannot exist (int columns), so they are dropped
// and match nothing.
std::optional<std::string> id_filter(const std::vector<std::int64_t>& ids);
// A single-id filter (`inbox_id`, `team_id`, ...) as text, or NULL (no filter) when absent; an id
// beyond int range cannot exist, so it becomes 0, which matches nothing.
std::optional<std::string> single_id_filter(const RequestContext& ctx, const char* name);

// The metrics every entity report row carries, in Chatwoot's key order.
Json metrics_json(const pqxx::row& row);
// The JSON rows of an entity report: id, the entity's text columns, then metrics_json.
// seed_fields adds the seed's incoming_messages_count, outgoing_messages_count and resolutions_count
// (the route's rows must carry them) beside Chatwoot's keys.
// The metrics beyond Chatwoot's (quantiles, reopens, one-touch) of a summary or entity row, whose
// columns are named prefix + metric, added to a JSON object after Chatwoot's keys.
void add_outcome_metrics(Json& block, const pqxx::row& row, const std::string& prefix);
// the seed_fields of an entity row include the outcome metrics
Json entity_json(const pqxx::result& rows, std::initializer_list<const char*> text_columns, bool seed_fields = false);
// Label averages are 0, not null, when a label has no events (Chatwoot's label reports).
Json zero_or_float(const pqxx::field& f);

// Field conversions. Counts are JSON integers, averages JSON floats (null when NULL).
Json count_json(const pqxx::field& f);
Json float_json(const pqxx::field& f);
Json text_json(const pqxx::field& f);
std::optional<double> opt_double(const pqxx::field& f);
std::optional<std::string> opt_text(const pqxx::field& f);
std::string count_text(const pqxx::field& f);

// Required-parameter and enumeration checks (422 naming the parameter).
std::string required(const RequestContext& ctx, const std::string& name);
void check_one_of(const std::string& name, const std::string& value, const std::vector<std::string>& allowed);

}  // namespace support_reports::api
