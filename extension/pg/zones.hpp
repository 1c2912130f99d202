// Time zones for the boundary: resolved the way `AT TIME ZONE` resolves them (a fixed abbreviation
// such as "EST" first, then a zone name from Postgres' time-zone database) and cached for the life
// of the backend, so each zone's transitions are read from Postgres once.
#pragma once

#include "support_reports/zone.hpp"
#include "postgres.hpp"

namespace support_reports::pg {

// ERROR (22023, naming `parameter`) for an unknown zone.
const ZoneRules& zone_named(const char* name, std::size_t length, const char* parameter);
const ZoneRules& zone_from_text(text* name, const char* parameter);

// Per-call-site memo of the last zone text seen, for aggregates that receive the zone on every row:
// a memcmp of a few bytes replaces the lookup. Lives in fn_extra (plain data).
struct ZoneMemo {
    const ZoneRules* zone;
    int length;
    char name[64];
};
const ZoneRules& zone_memoized(ZoneMemo& memo, text* name, const char* parameter);

}  // namespace support_reports::pg
