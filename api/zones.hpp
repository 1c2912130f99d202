// Chatwoot's `timezone_offset` parameter (hours) mapped to a zone the way Rails does it, from a
// table of the Rails zone names. Pure C++: the current offsets come from a lookup function (the
// server asks Postgres), so the choice is unit-tested with fixed offsets.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace support_reports::api {

struct RailsZone {
    const char* name;  // Rails name, e.g. "Chennai"
    const char* iana;  // ActiveSupport::TimeZone::MAPPING target, e.g. "Asia/Kolkata"
    int base_offset;   // standard UTC offset in seconds (ActiveSupport's sort key)
};

// Every Rails zone, sorted by (base offset, name) as ActiveSupport::TimeZone.all sorts them.
const std::vector<RailsZone>& rails_zones();

// The distinct IANA names of the table (for one batched offset lookup).
std::vector<std::string> rails_zone_ianas();

// The Rails zone with this name (case-sensitive, as Rails), if any.
const RailsZone* rails_zone_named(std::string_view name);

// Chatwoot's TZ_CURRENT: the first zone in table order whose offset *now* equals `offset_seconds`.
// `current_offset(iana)` returns that zone's current UTC offset in seconds (nullopt: unknown zone).
const RailsZone* tz_current(int offset_seconds, const std::function<std::optional<int>(const std::string&)>& current_offset);

// Chatwoot's TZ_BASE (ActiveSupport::TimeZone[hours]): the first zone whose standard offset equals
// `offset_seconds`.
const RailsZone* tz_base(int offset_seconds);

// A fixed-offset POSIX zone for an offset with no Rails zone, e.g. 19800 -> "<+0530>-05:30"
// (POSIX counts west of Greenwich as positive, hence the inverted sign).
std::string fixed_offset_zone(int offset_seconds);

// "+05:30" / "-03:30" / "+00:00".
std::string formatted_offset(int offset_seconds);

// ActiveSupport::TimeZone#to_s: "(GMT+05:30) Chennai".
std::string zone_label(int offset_seconds, std::string_view name);

}  // namespace support_reports::api
