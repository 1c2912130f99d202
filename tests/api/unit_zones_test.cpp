// timezone_offset -> zone, without a server. The current offsets come from a fake that answers
// with each zone's January or July offset (tz database 2025b, as Postgres reports them), and the
// expected zones are the reference's verified examples (chatwoot-reports.md §3.3).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "zones.hpp"

using namespace support_reports::api;

namespace {

// IANA name -> {offset in mid-January, offset in mid-July}, seconds east of UTC.
const std::map<std::string, std::pair<int, int>> kJanJul = {
    {"Etc/GMT+12", {-43200, -43200}},
    {"Pacific/Midway", {-39600, -39600}},
    {"Pacific/Pago_Pago", {-39600, -39600}},
    {"Pacific/Honolulu", {-36000, -36000}},
    {"America/Juneau", {-32400, -28800}},
    {"America/Los_Angeles", {-28800, -25200}},
    {"America/Tijuana", {-28800, -25200}},
    {"America/Denver", {-25200, -21600}},
    {"America/Phoenix", {-25200, -25200}},
    {"America/Chihuahua", {-21600, -21600}},
    {"America/Mazatlan", {-25200, -25200}},
    {"America/Chicago", {-21600, -18000}},
    {"America/Regina", {-21600, -21600}},
    {"America/Mexico_City", {-21600, -21600}},
    {"America/Monterrey", {-21600, -21600}},
    {"America/Guatemala", {-21600, -21600}},
    {"America/New_York", {-18000, -14400}},
    {"America/Indiana/Indianapolis", {-18000, -14400}},
    {"America/Bogota", {-18000, -18000}},
    {"America/Lima", {-18000, -18000}},
    {"America/Halifax", {-14400, -10800}},
    {"America/Caracas", {-14400, -14400}},
    {"America/La_Paz", {-14400, -14400}},
    {"America/Santiago", {-10800, -14400}},
    {"America/St_Johns", {-12600, -9000}},
    {"America/Sao_Paulo", {-10800, -10800}},
    {"America/Argentina/Buenos_Aires", {-10800, -10800}},
    {"America/Montevideo", {-10800, -10800}},
    {"America/Guyana", {-14400, -14400}},
    {"America/Puerto_Rico", {-14400, -14400}},
    {"America/Godthab", {-7200, -3600}},
    {"Atlantic/South_Georgia", {-7200, -7200}},
    {"Atlantic/Azores", {-3600, 0}},
    {"Atlantic/Cape_Verde", {-3600, -3600}},
    {"Europe/Dublin", {0, 3600}},
    {"Europe/London", {0, 3600}},
    {"Europe/Lisbon", {0, 3600}},
    {"Africa/Casablanca", {3600, 3600}},
    {"Africa/Monrovia", {0, 0}},
    {"Etc/UTC", {0, 0}},
    {"Europe/Belgrade", {3600, 7200}},
    {"Europe/Bratislava", {3600, 7200}},
    {"Europe/Budapest", {3600, 7200}},
    {"Europe/Ljubljana", {3600, 7200}},
    {"Europe/Prague", {3600, 7200}},
    {"Europe/Sarajevo", {3600, 7200}},
    {"Europe/Skopje", {3600, 7200}},
    {"Europe/Warsaw", {3600, 7200}},
    {"Europe/Zagreb", {3600, 7200}},
    {"Europe/Brussels", {3600, 7200}},
    {"Europe/Copenhagen", {3600, 7200}},
    {"Europe/Madrid", {3600, 7200}},
    {"Europe/Paris", {3600, 7200}},
    {"Europe/Amsterdam", {3600, 7200}},
    {"Europe/Berlin", {3600, 7200}},
    {"Europe/Zurich", {3600, 7200}},
    {"Europe/Rome", {3600, 7200}},
    {"Europe/Stockholm", {3600, 7200}},
    {"Europe/Vienna", {3600, 7200}},
    {"Africa/Algiers", {3600, 3600}},
    {"Europe/Bucharest", {7200, 10800}},
    {"Africa/Cairo", {7200, 10800}},
    {"Europe/Helsinki", {7200, 10800}},
    {"Europe/Kiev", {7200, 10800}},
    {"Europe/Riga", {7200, 10800}},
    {"Europe/Sofia", {7200, 10800}},
    {"Europe/Tallinn", {7200, 10800}},
    {"Europe/Vilnius", {7200, 10800}},
    {"Europe/Athens", {7200, 10800}},
    {"Europe/Istanbul", {10800, 10800}},
    {"Europe/Minsk", {10800, 10800}},
    {"Asia/Jerusalem", {7200, 10800}},
    {"Africa/Harare", {7200, 7200}},
    {"Africa/Johannesburg", {7200, 7200}},
    {"Europe/Kaliningrad", {7200, 7200}},
    {"Europe/Moscow", {10800, 10800}},
    {"Europe/Volgograd", {10800, 10800}},
    {"Europe/Samara", {14400, 14400}},
    {"Asia/Kuwait", {10800, 10800}},
    {"Asia/Riyadh", {10800, 10800}},
    {"Africa/Nairobi", {10800, 10800}},
    {"Asia/Baghdad", {10800, 10800}},
    {"Asia/Tehran", {12600, 12600}},
    {"Asia/Muscat", {14400, 14400}},
    {"Asia/Baku", {14400, 14400}},
    {"Asia/Tbilisi", {14400, 14400}},
    {"Asia/Yerevan", {14400, 14400}},
    {"Asia/Kabul", {16200, 16200}},
    {"Asia/Yekaterinburg", {18000, 18000}},
    {"Asia/Karachi", {18000, 18000}},
    {"Asia/Tashkent", {18000, 18000}},
    {"Asia/Kolkata", {19800, 19800}},
    {"Asia/Kathmandu", {20700, 20700}},
    {"Asia/Dhaka", {21600, 21600}},
    {"Asia/Colombo", {19800, 19800}},
    {"Asia/Almaty", {18000, 18000}},
    {"Asia/Novosibirsk", {25200, 25200}},
    {"Asia/Rangoon", {23400, 23400}},
    {"Asia/Bangkok", {25200, 25200}},
    {"Asia/Jakarta", {25200, 25200}},
    {"Asia/Krasnoyarsk", {25200, 25200}},
    {"Asia/Shanghai", {28800, 28800}},
    {"Asia/Chongqing", {28800, 28800}},
    {"Asia/Hong_Kong", {28800, 28800}},
    {"Asia/Urumqi", {21600, 21600}},
    {"Asia/Kuala_Lumpur", {28800, 28800}},
    {"Asia/Singapore", {28800, 28800}},
    {"Asia/Taipei", {28800, 28800}},
    {"Australia/Perth", {28800, 28800}},
    {"Asia/Irkutsk", {28800, 28800}},
    {"Asia/Ulaanbaatar", {28800, 28800}},
    {"Asia/Seoul", {32400, 32400}},
    {"Asia/Tokyo", {32400, 32400}},
    {"Asia/Yakutsk", {32400, 32400}},
    {"Australia/Darwin", {34200, 34200}},
    {"Australia/Adelaide", {37800, 34200}},
    {"Australia/Melbourne", {39600, 36000}},
    {"Australia/Sydney", {39600, 36000}},
    {"Australia/Brisbane", {36000, 36000}},
    {"Australia/Hobart", {39600, 36000}},
    {"Asia/Vladivostok", {36000, 36000}},
    {"Pacific/Guam", {36000, 36000}},
    {"Pacific/Port_Moresby", {36000, 36000}},
    {"Asia/Magadan", {39600, 39600}},
    {"Asia/Srednekolymsk", {39600, 39600}},
    {"Pacific/Guadalcanal", {39600, 39600}},
    {"Pacific/Noumea", {39600, 39600}},
    {"Pacific/Fiji", {43200, 43200}},
    {"Asia/Kamchatka", {43200, 43200}},
    {"Pacific/Majuro", {43200, 43200}},
    {"Pacific/Auckland", {46800, 43200}},
    {"Pacific/Tongatapu", {46800, 46800}},
    {"Pacific/Fakaofo", {46800, 46800}},
    {"Pacific/Chatham", {49500, 45900}},
    {"Pacific/Apia", {46800, 46800}},
};

enum class Season { January, July };

std::function<std::optional<int>(const std::string&)> at(Season s) {
    return [s](const std::string& iana) -> std::optional<int> {
        const auto it = kJanJul.find(iana);
        if (it == kJanJul.end()) return std::nullopt;
        return s == Season::January ? it->second.first : it->second.second;
    };
}

std::string current(double hours, Season s) {
    const RailsZone* z = tz_current(static_cast<int>(hours * 3600), at(s));
    return z ? z->name : "nil";
}

}  // namespace

TEST(RailsZones, TableIsSortedByBaseOffsetThenName) {
    const auto& zones = rails_zones();
    ASSERT_EQ(zones.size(), 151u);
    for (std::size_t i = 1; i < zones.size(); ++i) {
        const auto& a = zones[i - 1];
        const auto& b = zones[i];
        EXPECT_TRUE(a.base_offset < b.base_offset ||
                    (a.base_offset == b.base_offset && std::string(a.name) < std::string(b.name)))
            << a.name << " / " << b.name;
    }
    EXPECT_STREQ(zones.front().name, "International Date Line West");
    EXPECT_EQ(rails_zone_named("Chennai")->base_offset, 19800);
    EXPECT_STREQ(rails_zone_named("Pacific Time (US & Canada)")->iana, "America/Los_Angeles");
    EXPECT_EQ(rails_zone_named("chennai"), nullptr);
    for (const auto& iana : rails_zone_ianas()) EXPECT_TRUE(kJanJul.count(iana)) << iana;
}

TEST(TzCurrent, ReferenceExamplesInJanuary) {
    const Season j = Season::January;
    EXPECT_EQ(current(0, j), "Edinburgh");
    EXPECT_EQ(current(1, j), "Casablanca");
    EXPECT_EQ(current(-8, j), "Pacific Time (US & Canada)");
    EXPECT_EQ(current(-7, j), "Arizona");
    EXPECT_EQ(current(-5, j), "Bogota");
    EXPECT_EQ(current(-4, j), "Atlantic Time (Canada)");
    EXPECT_EQ(current(-3, j), "Santiago");
    EXPECT_EQ(current(2, j), "Athens");
    EXPECT_EQ(current(5.5, j), "Chennai");
    EXPECT_EQ(current(5.75, j), "Kathmandu");
    EXPECT_EQ(current(3.5, j), "Tehran");
    EXPECT_EQ(current(8, j), "Beijing");
    EXPECT_EQ(current(9, j), "Osaka");
    EXPECT_EQ(current(10, j), "Brisbane");
    EXPECT_EQ(current(12, j), "Fiji");
    EXPECT_EQ(current(13, j), "Auckland");
    EXPECT_EQ(current(-3.5, j), "Newfoundland");
    EXPECT_EQ(current(14, j), "nil");
}

TEST(TzCurrent, ReferenceExamplesInJuly) {
    const Season s = Season::July;
    EXPECT_EQ(current(0, s), "Azores");
    EXPECT_EQ(current(1, s), "Casablanca");
    EXPECT_EQ(current(-8, s), "Alaska");
    EXPECT_EQ(current(-7, s), "Pacific Time (US & Canada)");
    EXPECT_EQ(current(-5, s), "Central Time (US & Canada)");
    EXPECT_EQ(current(-4, s), "Eastern Time (US & Canada)");
    EXPECT_EQ(current(-3, s), "Atlantic Time (Canada)");
    EXPECT_EQ(current(2, s), "Amsterdam");
    EXPECT_EQ(current(12, s), "Auckland");
    EXPECT_EQ(current(13, s), "Nuku'alofa");
    EXPECT_EQ(current(-3.5, s), "nil");
}

TEST(TzBase, ReferenceExamples) {
    EXPECT_STREQ(tz_base(-8 * 3600)->name, "Pacific Time (US & Canada)");
    EXPECT_STREQ(tz_base(19800)->name, "Chennai");
    EXPECT_STREQ(tz_base(9 * 3600)->name, "Osaka");
    EXPECT_STREQ(tz_base(3600)->name, "Amsterdam");
    EXPECT_STREQ(tz_base(0)->name, "Casablanca");
    EXPECT_EQ(tz_base(14 * 3600), nullptr);
}

TEST(ZoneText, LabelsAndFixedOffsets) {
    EXPECT_EQ(zone_label(19800, "Chennai"), "(GMT+05:30) Chennai");
    EXPECT_EQ(zone_label(-28800, "Pacific Time (US & Canada)"), "(GMT-08:00) Pacific Time (US & Canada)");
    EXPECT_EQ(zone_label(0, "UTC"), "(GMT+00:00) UTC");
    EXPECT_EQ(formatted_offset(-12600), "-03:30");
    EXPECT_EQ(fixed_offset_zone(19800), "<+0530>-05:30");  // POSIX: west of Greenwich is positive
    EXPECT_EQ(fixed_offset_zone(-12600), "<-0330>+03:30");
    EXPECT_EQ(fixed_offset_zone(50400), "<+1400>-14:00");
    EXPECT_EQ(fixed_offset_zone(0), "<+0000>-00:00");
}
