// An account's conversation traffic: arrival times, the conversations in time order, and the
// contacts they came from.
#include "catalog.hpp"
#include "conversation_sim.hpp"
#include "model.hpp"
#include "rng.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace demo {
namespace {

using namespace catalog;

void write_contacts(const Account& acct, Output& out) {
    static const char* const kCities[][3] = {
        {"Berlin", "Germany", "DE"}, {"São Paulo", "Brazil", "BR"}, {"Mumbai", "India", "IN"},
        {"New York", "United States", "US"}, {"Sydney", "Australia", "AU"}, {"Tokyo", "Japan", "JP"},
        {"Lagos", "Nigeria", "NG"}, {"Paris", "France", "FR"},
    };
    std::string attrs;
    for (const ContactRec& c : acct.contacts) {
        const uint32_t v = c.variant;
        const std::string name = std::string(kFirstNames[v % std::size(kFirstNames)]) + " " +
                                 kLastNames[(v >> 8) % std::size(kLastNames)];
        const auto& city = kCities[(v >> 16) % std::size(kCities)];
        attrs = "{\"city\": \"";
        append_json_escaped(attrs, city[0]);
        attrs += std::string("\", \"country\": \"") + city[1] + "\", \"country_code\": \"" + city[2] + "\"}";
        Table& t = out.contacts;
        t.i(c.id).s(name);
        if ((v >> 20) % 10 < 8) t.s("customer" + std::to_string(c.id) + "@example.org"); else t.null();
        if ((v >> 24) % 2) t.s("+1555" + std::to_string(1000000 + c.id % 9000000)); else t.null();
        t.i(acct.id).ts(c.created).ts(c.last_activity).s(attrs);
        if ((v >> 25) % 5 == 0) t.s("ext-" + std::to_string(c.id)); else t.null();
        t.s((v >> 28) % 3 == 0 ? "{\"plan\": \"pro\"}" : "{}").ts(c.last_activity).i((v >> 27) % 2 ? 2 : 0)
            .b((v >> 29) == 7 && (v >> 4) % 16 == 0)
            .end_row();
    }
}

}  // namespace

SimCounts simulate_account(Account& acct, const Config& cfg, int64_t n, uint64_t stream, Ids& ids,
                           TagRegistry* tags, Output* out, void (*progress)(int64_t)) {
    SimCounts counts;
    if (n <= 0 || acct.inboxes.empty()) {
        if (out) write_contacts(acct, *out);
        return counts;
    }
    Rng rng = Rng::derive(cfg.seed, static_cast<uint64_t>(acct.id), stream);

    // Arrival times: pick an inbox by traffic share, an hour by that inbox's seasonal curve,
    // a uniform instant inside the hour; then play conversations in time order so display_id
    // and id grow with created_at as they do in Chatwoot.
    std::vector<int> weights;
    for (const Inbox& ib : acct.inboxes) weights.push_back(ib.weight);
    std::vector<std::pair<int64_t, int>> arrivals(static_cast<size_t>(n));
    const int64_t ws = cfg.window_start();
    const int64_t last = cfg.window_end() - kMin;  // leave the first message room before the end
    for (auto& a : arrivals) {
        const int ib = static_cast<int>(rng.weighted(weights.data(), weights.size()));
        const auto& cdf = acct.inboxes[static_cast<size_t>(ib)].arrival_cdf;
        const uint64_t r = rng.below(cdf.back());
        const int64_t hour = std::upper_bound(cdf.begin(), cdf.end(), r) - cdf.begin();
        a = {std::min(ws + hour * kHour + rng.between(0, kHour), last), ib};
    }
    std::sort(arrivals.begin(), arrivals.end());

    const ConversationEnv env{acct, cfg, rng, ids, tags, out, counts};
    int display_id = 0;
    int64_t reported = 0;
    for (const auto& a : arrivals) {
        simulate_conversation(env, a.first, a.second, ++display_id);
        if (progress && counts.events - reported >= 4096) {
            progress(counts.events);
            reported = counts.events;
        }
    }
    if (progress) progress(counts.events);
    if (out) write_contacts(acct, *out);
    return counts;
}

}  // namespace demo
