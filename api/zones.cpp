#include "zones.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace support_reports::api {

namespace {

// ActiveSupport 7.1's MAPPING with each zone's standard offset. The offsets are those of the
// current tz database (America/Chihuahua -6 since 2022, America/Godthab -2 since 2023, Asia/Almaty
// +5 since 2024) except two that depend on how the database encodes them: Europe/Dublin is +1
// ("negative DST", winter GMT being the DST period) and Africa/Casablanca is 0, which is what the
// reference's verified examples show (offset 0 in January -> Edinburgh, offset 1 -> Casablanca).
const RailsZone kZones[] = {
    {"International Date Line West", "Etc/GMT+12", -43200},
    {"Midway Island", "Pacific/Midway", -39600},
    {"American Samoa", "Pacific/Pago_Pago", -39600},
    {"Hawaii", "Pacific/Honolulu", -36000},
    {"Alaska", "America/Juneau", -32400},
    {"Pacific Time (US & Canada)", "America/Los_Angeles", -28800},
    {"Tijuana", "America/Tijuana", -28800},
    {"Mountain Time (US & Canada)", "America/Denver", -25200},
    {"Arizona", "America/Phoenix", -25200},
    {"Chihuahua", "America/Chihuahua", -21600},
    {"Mazatlan", "America/Mazatlan", -25200},
    {"Central Time (US & Canada)", "America/Chicago", -21600},
    {"Saskatchewan", "America/Regina", -21600},
    {"Guadalajara", "America/Mexico_City", -21600},
    {"Mexico City", "America/Mexico_City", -21600},
    {"Monterrey", "America/Monterrey", -21600},
    {"Central America", "America/Guatemala", -21600},
    {"Eastern Time (US & Canada)", "America/New_York", -18000},
    {"Indiana (East)", "America/Indiana/Indianapolis", -18000},
    {"Bogota", "America/Bogota", -18000},
    {"Lima", "America/Lima", -18000},
    {"Quito", "America/Lima", -18000},
    {"Atlantic Time (Canada)", "America/Halifax", -14400},
    {"Caracas", "America/Caracas", -14400},
    {"La Paz", "America/La_Paz", -14400},
    {"Santiago", "America/Santiago", -14400},
    {"Newfoundland", "America/St_Johns", -12600},
    {"Brasilia", "America/Sao_Paulo", -10800},
    {"Buenos Aires", "America/Argentina/Buenos_Aires", -10800},
    {"Montevideo", "America/Montevideo", -10800},
    {"Georgetown", "America/Guyana", -14400},
    {"Puerto Rico", "America/Puerto_Rico", -14400},
    {"Greenland", "America/Godthab", -7200},
    {"Mid-Atlantic", "Atlantic/South_Georgia", -7200},
    {"Azores", "Atlantic/Azores", -3600},
    {"Cape Verde Is.", "Atlantic/Cape_Verde", -3600},
    {"Dublin", "Europe/Dublin", 3600},
    {"Edinburgh", "Europe/London", 0},
    {"Lisbon", "Europe/Lisbon", 0},
    {"London", "Europe/London", 0},
    {"Casablanca", "Africa/Casablanca", 0},
    {"Monrovia", "Africa/Monrovia", 0},
    {"UTC", "Etc/UTC", 0},
    {"Belgrade", "Europe/Belgrade", 3600},
    {"Bratislava", "Europe/Bratislava", 3600},
    {"Budapest", "Europe/Budapest", 3600},
    {"Ljubljana", "Europe/Ljubljana", 3600},
    {"Prague", "Europe/Prague", 3600},
    {"Sarajevo", "Europe/Sarajevo", 3600},
    {"Skopje", "Europe/Skopje", 3600},
    {"Warsaw", "Europe/Warsaw", 3600},
    {"Zagreb", "Europe/Zagreb", 3600},
    {"Brussels", "Europe/Brussels", 3600},
    {"Copenhagen", "Europe/Copenhagen", 3600},
    {"Madrid", "Europe/Madrid", 3600},
    {"Paris", "Europe/Paris", 3600},
    {"Amsterdam", "Europe/Amsterdam", 3600},
    {"Berlin", "Europe/Berlin", 3600},
    {"Bern", "Europe/Zurich", 3600},
    {"Zurich", "Europe/Zurich", 3600},
    {"Rome", "Europe/Rome", 3600},
    {"Stockholm", "Europe/Stockholm", 3600},
    {"Vienna", "Europe/Vienna", 3600},
    {"West Central Africa", "Africa/Algiers", 3600},
    {"Bucharest", "Europe/Bucharest", 7200},
    {"Cairo", "Africa/Cairo", 7200},
    {"Helsinki", "Europe/Helsinki", 7200},
    {"Kyiv", "Europe/Kiev", 7200},
    {"Riga", "Europe/Riga", 7200},
    {"Sofia", "Europe/Sofia", 7200},
    {"Tallinn", "Europe/Tallinn", 7200},
    {"Vilnius", "Europe/Vilnius", 7200},
    {"Athens", "Europe/Athens", 7200},
    {"Istanbul", "Europe/Istanbul", 10800},
    {"Minsk", "Europe/Minsk", 10800},
    {"Jerusalem", "Asia/Jerusalem", 7200},
    {"Harare", "Africa/Harare", 7200},
    {"Pretoria", "Africa/Johannesburg", 7200},
    {"Kaliningrad", "Europe/Kaliningrad", 7200},
    {"Moscow", "Europe/Moscow", 10800},
    {"St. Petersburg", "Europe/Moscow", 10800},
    {"Volgograd", "Europe/Volgograd", 10800},
    {"Samara", "Europe/Samara", 14400},
    {"Kuwait", "Asia/Kuwait", 10800},
    {"Riyadh", "Asia/Riyadh", 10800},
    {"Nairobi", "Africa/Nairobi", 10800},
    {"Baghdad", "Asia/Baghdad", 10800},
    {"Tehran", "Asia/Tehran", 12600},
    {"Abu Dhabi", "Asia/Muscat", 14400},
    {"Muscat", "Asia/Muscat", 14400},
    {"Baku", "Asia/Baku", 14400},
    {"Tbilisi", "Asia/Tbilisi", 14400},
    {"Yerevan", "Asia/Yerevan", 14400},
    {"Kabul", "Asia/Kabul", 16200},
    {"Ekaterinburg", "Asia/Yekaterinburg", 18000},
    {"Islamabad", "Asia/Karachi", 18000},
    {"Karachi", "Asia/Karachi", 18000},
    {"Tashkent", "Asia/Tashkent", 18000},
    {"Chennai", "Asia/Kolkata", 19800},
    {"Kolkata", "Asia/Kolkata", 19800},
    {"Mumbai", "Asia/Kolkata", 19800},
    {"New Delhi", "Asia/Kolkata", 19800},
    {"Kathmandu", "Asia/Kathmandu", 20700},
    {"Astana", "Asia/Dhaka", 21600},
    {"Dhaka", "Asia/Dhaka", 21600},
    {"Sri Jayawardenepura", "Asia/Colombo", 19800},
    {"Almaty", "Asia/Almaty", 18000},
    {"Novosibirsk", "Asia/Novosibirsk", 25200},
    {"Rangoon", "Asia/Rangoon", 23400},
    {"Bangkok", "Asia/Bangkok", 25200},
    {"Hanoi", "Asia/Bangkok", 25200},
    {"Jakarta", "Asia/Jakarta", 25200},
    {"Krasnoyarsk", "Asia/Krasnoyarsk", 25200},
    {"Beijing", "Asia/Shanghai", 28800},
    {"Chongqing", "Asia/Chongqing", 28800},
    {"Hong Kong", "Asia/Hong_Kong", 28800},
    {"Urumqi", "Asia/Urumqi", 21600},
    {"Kuala Lumpur", "Asia/Kuala_Lumpur", 28800},
    {"Singapore", "Asia/Singapore", 28800},
    {"Taipei", "Asia/Taipei", 28800},
    {"Perth", "Australia/Perth", 28800},
    {"Irkutsk", "Asia/Irkutsk", 28800},
    {"Ulaanbaatar", "Asia/Ulaanbaatar", 28800},
    {"Seoul", "Asia/Seoul", 32400},
    {"Osaka", "Asia/Tokyo", 32400},
    {"Sapporo", "Asia/Tokyo", 32400},
    {"Tokyo", "Asia/Tokyo", 32400},
    {"Yakutsk", "Asia/Yakutsk", 32400},
    {"Darwin", "Australia/Darwin", 34200},
    {"Adelaide", "Australia/Adelaide", 34200},
    {"Canberra", "Australia/Melbourne", 36000},
    {"Melbourne", "Australia/Melbourne", 36000},
    {"Sydney", "Australia/Sydney", 36000},
    {"Brisbane", "Australia/Brisbane", 36000},
    {"Hobart", "Australia/Hobart", 36000},
    {"Vladivostok", "Asia/Vladivostok", 36000},
    {"Guam", "Pacific/Guam", 36000},
    {"Port Moresby", "Pacific/Port_Moresby", 36000},
    {"Magadan", "Asia/Magadan", 39600},
    {"Srednekolymsk", "Asia/Srednekolymsk", 39600},
    {"Solomon Is.", "Pacific/Guadalcanal", 39600},
    {"New Caledonia", "Pacific/Noumea", 39600},
    {"Fiji", "Pacific/Fiji", 43200},
    {"Kamchatka", "Asia/Kamchatka", 43200},
    {"Marshall Is.", "Pacific/Majuro", 43200},
    {"Auckland", "Pacific/Auckland", 43200},
    {"Wellington", "Pacific/Auckland", 43200},
    {"Nuku'alofa", "Pacific/Tongatapu", 46800},
    {"Tokelau Is.", "Pacific/Fakaofo", 46800},
    {"Chatham Is.", "Pacific/Chatham", 45900},
    {"Samoa", "Pacific/Apia", 46800},
};

std::vector<RailsZone> sorted_zones() {
    std::vector<RailsZone> v(std::begin(kZones), std::end(kZones));
    // Byte order of the names, as Ruby's String#<=>.
    std::stable_sort(v.begin(), v.end(), [](const RailsZone& a, const RailsZone& b) {
        if (a.base_offset != b.base_offset) return a.base_offset < b.base_offset;
        return std::string_view(a.name) < std::string_view(b.name);
    });
    return v;
}

}  // namespace

const std::vector<RailsZone>& rails_zones() {
    static const std::vector<RailsZone> zones = sorted_zones();
    return zones;
}

std::vector<std::string> rails_zone_ianas() {
    std::set<std::string> seen;
    std::vector<std::string> out;
    for (const auto& z : rails_zones())
        if (seen.insert(z.iana).second) out.emplace_back(z.iana);
    return out;
}

const RailsZone* rails_zone_named(std::string_view name) {
    for (const auto& z : rails_zones())
        if (name == z.name) return &z;
    return nullptr;
}

const RailsZone* tz_current(int offset_seconds, const std::function<std::optional<int>(const std::string&)>& current_offset) {
    for (const auto& z : rails_zones()) {
        const auto now = current_offset(z.iana);
        if (now && *now == offset_seconds) return &z;
    }
    return nullptr;
}

const RailsZone* tz_base(int offset_seconds) {
    for (const auto& z : rails_zones())
        if (z.base_offset == offset_seconds) return &z;
    return nullptr;
}

std::string formatted_offset(int offset_seconds) {
    const int a = std::abs(offset_seconds);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_seconds < 0 ? '-' : '+', a / 3600, (a % 3600) / 60);
    return buf;
}

std::string fixed_offset_zone(int offset_seconds) {
    const int a = std::abs(offset_seconds);
    const int h = a / 3600, m = (a % 3600) / 60, s = a % 60;
    char name[16], posix[16];
    std::snprintf(name, sizeof name, "%c%02d%02d", offset_seconds < 0 ? '-' : '+', h, m);
    if (s != 0) {
        std::snprintf(posix, sizeof posix, "%c%02d:%02d:%02d", offset_seconds < 0 ? '+' : '-', h, m, s);
    } else {
        std::snprintf(posix, sizeof posix, "%c%02d:%02d", offset_seconds < 0 ? '+' : '-', h, m);
    }
    return std::string("<") + name + ">" + posix;
}

std::string zone_label(int offset_seconds, std::string_view name) {
    return "(GMT" + formatted_offset(offset_seconds) + ") " + std::string(name);
}

}  // namespace support_reports::api
