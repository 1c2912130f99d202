#include "zones.hpp"

#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "guard.hpp"

namespace support_reports::pg {

namespace {

// Backend-lifetime cache. Keys are the names exactly as given (Postgres matches case-insensitively,
// so "utc" and "UTC" are two entries for the same rules; harmless).
std::unordered_map<std::string, std::unique_ptr<ZoneRules>>& zone_cache() {
    static std::unordered_map<std::string, std::unique_ptr<ZoneRules>> cache;
    return cache;
}

// Transitions are read up to this instant (2200-01-01 UTC, Unix seconds); later instants keep the
// last offset. Postgres extends DST rules indefinitely, so results after 2200 may differ by the
// DST offset.
constexpr pg_time_t kTableEndUnix = 7258118400LL;
// ... and from this one (1800-01-01): tzdata has no transitions before local mean time ends.
constexpr pg_time_t kTableStartUnix = -5364662400LL;

struct RawTransition {
    std::int64_t at_unix;
    long offset_after;
};

}  // namespace

const ZoneRules& zone_named(const char* name, std::size_t length, const char* parameter) {
    if (length == 0 || length > TZ_STRLEN_MAX) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid %s: time zone name is empty or too long", parameter)));
    }
    char zname[TZ_STRLEN_MAX + 1];
    std::memcpy(zname, name, length);
    zname[length] = '\0';

    const ZoneRules* cached = call_core([&]() -> const ZoneRules* {
        auto it = zone_cache().find(std::string(zname, length));
        return it == zone_cache().end() ? nullptr : it->second.get();
    });
    if (cached != nullptr) return *cached;

    // Resolve as timestamptz_zone() does: abbreviations first (they take precedence over zone
    // names such as "EST" or "CET"), then the time-zone database. Plain data only from here on.
    char* lower = downcase_truncate_identifier(zname, static_cast<int>(length), false);
    int abbrev_offset = 0;
    pg_tz* tzp = nullptr;
    const int type = DecodeTimezoneAbbrev(0, lower, &abbrev_offset, &tzp);
    bool fixed = false;
    long initial_offset = 0;
    RawTransition* raw = nullptr;
    int raw_count = 0;
    if (type == TZ || type == DTZ) {
        fixed = true;
        initial_offset = abbrev_offset;
    } else {
        if (type != DYNTZ) tzp = pg_tzset(zname);
        if (tzp == nullptr) {
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid %s: time zone \"%s\" not recognized", parameter, zname),
                            errhint("Use an IANA name from pg_timezone_names, such as \"America/New_York\".")));
        }
        int capacity = 64;
        raw = static_cast<RawTransition*>(palloc(sizeof(RawTransition) * capacity));
        pg_time_t t = kTableStartUnix;
        for (bool first = true;; first = false) {
            long before_off = 0, after_off = 0;
            int before_dst = 0, after_dst = 0;
            pg_time_t boundary = 0;
            const int res = pg_next_dst_boundary(&t, &before_off, &before_dst, &boundary, &after_off, &after_dst, tzp);
            if (first) initial_offset = before_off;
            if (res != 1 || boundary > kTableEndUnix) break;
            if (raw_count == capacity) {
                capacity *= 2;
                raw = static_cast<RawTransition*>(repalloc(raw, sizeof(RawTransition) * capacity));
            }
            raw[raw_count++] = RawTransition{boundary, after_off};
            t = boundary;
        }
    }

    const ZoneRules* built = call_core([&]() -> const ZoneRules* {
        std::unique_ptr<ZoneRules> rules;
        if (fixed) {
            rules = std::make_unique<ZoneRules>(ZoneRules::fixed(std::string(zname, length), static_cast<std::int32_t>(initial_offset)));
        } else {
            std::vector<ZoneRules::Transition> transitions;
            transitions.reserve(static_cast<std::size_t>(raw_count));
            for (int i = 0; i < raw_count; ++i) {
                transitions.push_back({(raw[i].at_unix - kUnixToPostgresEpochSeconds) * kMicrosPerSecond,
                                       static_cast<std::int32_t>(raw[i].offset_after)});
            }
            rules = std::make_unique<ZoneRules>(std::string(zname, length), static_cast<std::int32_t>(initial_offset),
                                                transitions);
        }
        const ZoneRules* p = rules.get();
        zone_cache()[std::string(zname, length)] = std::move(rules);
        return p;
    });
    if (raw != nullptr) pfree(raw);
    return *built;
}

const ZoneRules& zone_from_text(text* name, const char* parameter) {
    return zone_named(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), parameter);
}

const ZoneRules& zone_memoized(ZoneMemo& memo, text* name, const char* parameter) {
    const char* data = VARDATA_ANY(name);
    const int len = static_cast<int>(VARSIZE_ANY_EXHDR(name));
    if (memo.zone != nullptr && memo.length == len && std::memcmp(memo.name, data, len) == 0) return *memo.zone;
    const ZoneRules& zone = zone_named(data, static_cast<std::size_t>(len), parameter);
    if (len <= static_cast<int>(sizeof memo.name)) {
        memo.zone = &zone;
        memo.length = len;
        std::memcpy(memo.name, data, len);
    }
    return zone;
}

}  // namespace support_reports::pg
