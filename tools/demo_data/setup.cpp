// Per-account static data: the account, its agents (users + account_users), custom roles,
// teams, inboxes with working hours, agent bots and integration hooks, access tokens and labels.
#include "catalog.hpp"
#include "civil_time.hpp"
#include "model.hpp"
#include "rng.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace demo {

int64_t Config::window_start() const { return start_day * kDay; }
int64_t Config::window_end() const { return (start_day + days) * kDay; }

int TagRegistry::id_for(const std::string& name, Ids& ids) {
    auto it = id_by_name.find(name);
    if (it != id_by_name.end()) return it->second;
    const int id = static_cast<int>(++ids.tag);
    id_by_name.emplace(name, id);
    names.push_back(name);
    counts.push_back(0);
    return id;
}

namespace {

using namespace catalog;

// Working-hours templates. Chatwoot's default comes first; the others cover what real accounts
// configure: longer days, Saturday shifts, 24/7 desks (open_all_day, saved as 00:00-23:59),
// a Sunday-Thursday week, and a day that closes at 23:59 without being open_all_day.
enum Schedule { kDefault, kExtended, kAllDay, kWeekdaysAllDay, kSixDay, kSunThu, kLate, kScheduleCount };
const int kScheduleWeights[kScheduleCount] = {45, 15, 8, 8, 10, 7, 7};

WorkDay hours(int oh, int om, int ch, int cm) {
    WorkDay w;
    w.closed = false;
    w.open_min = oh * 60 + om;
    w.close_min = ch * 60 + cm;
    return w;
}

WorkDay all_day() {
    WorkDay w = hours(0, 0, 23, 59);
    w.all_day = true;
    return w;
}

void fill_schedule(Inbox& ib, int schedule) {
    for (auto& d : ib.week) d = WorkDay{};  // closed
    for (int d = 1; d <= 5; ++d) {
        switch (schedule) {
            case kDefault: ib.week[d] = hours(9, 0, 17, 0); break;
            case kExtended: ib.week[d] = hours(8, 30, 18, 0); break;
            case kAllDay:
            case kWeekdaysAllDay: ib.week[d] = all_day(); break;
            case kSixDay: ib.week[d] = hours(7, 0, 19, 30); break;
            case kSunThu: ib.week[d - 1] = hours(9, 0, 17, 0); break;  // Sun..Thu
            case kLate: ib.week[d] = hours(13, 0, 23, 59); break;
        }
    }
    if (schedule == kExtended) ib.week[6] = hours(10, 0, 14, 0);
    if (schedule == kSixDay) ib.week[6] = hours(7, 0, 19, 30);
    if (schedule == kLate) ib.week[6] = hours(10, 0, 16, 0);
    if (schedule == kAllDay) ib.week[0] = ib.week[6] = all_day();
}

// Relative traffic by local hour of a weekday: quiet nights, a morning ramp, a lunch dip.
const int kHourlyTraffic[24] = {2, 1, 1, 1, 1, 2, 4, 8, 14, 20, 22, 22, 19, 21, 22, 21, 18, 14, 10, 8, 7, 6, 4, 3};

// Arrival weight for every hour of the window in the inbox's own zone: daily and weekly
// seasonality, day-to-day noise, slow growth over the window, and quiet holidays.
void build_arrival_cdf(Inbox& ib, const Config& cfg, Rng& rng) {
    const int64_t hours_total = cfg.days * 24;
    ib.arrival_cdf.resize(static_cast<size_t>(hours_total));
    std::vector<int64_t> day_noise(static_cast<size_t>(cfg.days + 2));
    for (auto& n : day_noise) n = rng.between(800, 1200);
    uint64_t acc = 0;
    const int64_t start_s = cfg.start_day * 86400;
    for (int64_t h = 0; h < hours_total; ++h) {
        const int64_t utc = start_s + h * 3600;
        const int64_t local = utc + utc_offset(ib.zone, utc);
        const int64_t day = floor_div(local, 86400);
        const int hour = static_cast<int>((local - day * 86400) / 3600);
        const int wd = weekday_from_days(day);
        int64_t y;
        int m, d;
        civil_from_days(day, y, m, d);
        uint64_t w = static_cast<uint64_t>(kHourlyTraffic[hour]) * 1000;
        if (wd == 0 || wd == 6) w = w * 40 / 100;
        if ((m == 12 && (d == 24 || d == 25 || d == 31)) || (m == 1 && d == 1)) w = w * 35 / 100;
        const int64_t rel_day = std::min<int64_t>(std::max<int64_t>(day - cfg.start_day, 0), cfg.days + 1);
        w = w * static_cast<uint64_t>(day_noise[static_cast<size_t>(rel_day)]) / 1000;
        w = w * static_cast<uint64_t>(900 + 250 * (h / 24) / std::max<int64_t>(cfg.days, 1)) / 1000;
        acc += w + 1;
        ib.arrival_cdf[static_cast<size_t>(h)] = acc;
    }
}

void emit_working_hours(Output& out, Ids& ids, const Inbox& ib, int account_id, int64_t created) {
    for (int d = 0; d < 7; ++d) {
        const WorkDay& w = ib.week[d];
        out.working_hours.i(++ids.working_hour).i(ib.id).i(account_id).i(d).b(w.closed);
        if (w.closed)
            out.working_hours.null().null().null().null();
        else
            out.working_hours.i(w.open_min / 60).i(w.open_min % 60).i(w.close_min / 60).i(w.close_min % 60);
        out.working_hours.ts(created).ts(created).b(w.all_day).end_row();
    }
}

std::string token(const char* kind, int64_t id, int width) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "demo-token-%s-%0*lld", kind, width, static_cast<long long>(id));
    return buf;
}

void emit_token(Output& out, Ids& ids, const char* owner_type, int64_t owner_id, const std::string& tok,
                int64_t created) {
    out.access_tokens.i(++ids.access_token).s(owner_type).i(owner_id).s(tok).ts(created).ts(created).end_row();
}

// Partial Fisher-Yates: the first k of a shuffled 0..n-1.
std::vector<int> choose(Rng& rng, int n, int k) {
    std::vector<int> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
    for (int i = 0; i < k && i < n; ++i) std::swap(v[static_cast<size_t>(i)], v[static_cast<size_t>(rng.between(i, n))]);
    v.resize(static_cast<size_t>(std::min(k, n)));
    return v;
}

int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return std::max(lo, std::min(v, hi)); }

}  // namespace

void setup_account(Account& a, const Config& cfg, Ids& ids, TagRegistry& tags, Output& out) {
    Rng rng = Rng::derive(cfg.seed, static_cast<uint64_t>(a.id), 0);
    const int64_t ws = cfg.window_start();
    const int64_t T = a.target_events;

    a.created = ws - rng.between(30 * kDay, 400 * kDay);
    // One draw per statement throughout: C++ leaves the order of function arguments (and of the
    // operands of +) unspecified, so two draws in one expression could differ between compilers.
    const char* company_a = rng.pick(kCompanyA);
    a.name = std::string(company_a) + " " + rng.pick(kCompanyB);
    out.accounts.i(a.id).s(a.name).ts(a.created).ts(a.created).i(0).i(0).null().i(0).end_row();

    // --- agents -------------------------------------------------------------------------------
    // Team size grows with traffic: a handful of agents for small accounts, 150 for the largest.
    const int n_agents = static_cast<int>(clamp64(3 + T / 2500, 3, 150));
    const int n_admins = n_agents >= 5 ? 2 : 1;
    const int64_t users_created = a.created + rng.between(kHour, 10 * kDay);
    const int availability_weights[3] = {45, 40, 15};  // online, offline, busy
    const Band speed_bands[] = {{400, 800, 30}, {800, 1300, 50}, {1300, 2500, 20}};

    // Custom roles (enterprise) in every third account: one grants report access, one does not.
    int report_role = 0, plain_role = 0;
    if (a.id % 3 == 1 && n_agents >= 3) {
        report_role = static_cast<int>(++ids.custom_role);
        out.custom_roles.i(report_role).s("Report viewer").s("Can see reports").i(a.id)
            .raw("{report_manage,conversation_manage}").ts(users_created).ts(users_created).end_row();
        if (n_agents >= 4) {
            plain_role = static_cast<int>(++ids.custom_role);
            out.custom_roles.i(plain_role).s("Support L1").s("Conversations only").i(a.id)
                .raw("{conversation_manage,contact_manage}").ts(users_created).ts(users_created).end_row();
        }
    }

    for (int k = 0; k < n_agents; ++k) {
        Agent ag;
        ag.user_id = static_cast<int>(++ids.user);
        const char* first = rng.pick(kFirstNames);
        ag.name = std::string(first) + " " + rng.pick(kLastNames);
        ag.speed = static_cast<int>(sample(rng, speed_bands));
        ag.load = static_cast<int>(rng.between(1, 5));
        const bool admin = k < n_admins;
        if (k == 0) a.owner_user_id = ag.user_id;
        const int avail = static_cast<int>(rng.weighted(availability_weights));
        const int64_t created = users_created + k * kMin + rng.between(0, kSec);
        const std::string email = std::string(admin ? "admin" : "agent") + std::to_string(ag.user_id) +
                                  "@account" + std::to_string(a.id) + ".example.com";
        out.users.i(ag.user_id).s("email").s(email).s("").i(rng.between(1, 400)).s(ag.name).s(first).s(email)
            .ts(created).ts(created).ts(created).i(avail).null().end_row();
        int custom_role = 0;
        if (!admin && k == n_agents - 1) custom_role = report_role;
        if (!admin && k == n_agents - 2) custom_role = plain_role;
        const int64_t active_at = cfg.window_end() - rng.between(kMin, 3 * kDay);
        const bool auto_offline = !rng.permille(150);
        out.account_users.i(++ids.account_user).i(a.id).i(ag.user_id).i(admin ? 1 : 0)
            .id_or_null(k == 0 ? 0 : a.owner_user_id).ts(created).ts(created).ts(active_at).i(avail).b(auto_offline)
            .id_or_null(custom_role).end_row();
        emit_token(out, ids, "User", ag.user_id,
                   k == 0 ? token("account", a.id, 6) : token("user", ag.user_id, 9), created);
        a.agents.push_back(ag);
    }
    // One person working in two accounts: account 1's owner is also an agent of account 2, so
    // "user belongs to several accounts" and "administrator here, agent there" are covered.
    if (a.id == 2 && !ids.first_owner_name.empty()) {
        Agent ag;
        ag.user_id = 1;
        ag.name = ids.first_owner_name;
        ag.load = 1;
        out.account_users.i(++ids.account_user).i(a.id).i(1).i(0).i(a.owner_user_id).ts(users_created)
            .ts(users_created).ts(cfg.window_end() - kHour).i(0).b(true).null().end_row();
        a.agents.push_back(ag);
    }
    if (a.id == 1) ids.first_owner_name = a.agents.front().name;

    // --- teams --------------------------------------------------------------------------------
    const int n_teams = static_cast<int>(clamp64(2 + n_agents / 8, 2, 8));
    for (int t : choose(rng, static_cast<int>(std::size(kTeamNames)), n_teams)) {
        Team team;
        team.id = static_cast<int>(++ids.team);
        team.name = kTeamNames[t];
        out.teams.i(team.id).s(kTeamNames[t]).s(std::string("The ") + kTeamNames[t] + " team").b(true).i(a.id)
            .ts(users_created).ts(users_created).end_row();
        a.teams.push_back(team);
    }
    for (size_t k = 0; k < a.agents.size(); ++k) {
        std::vector<int> joined{static_cast<int>(k % a.teams.size())};
        if (rng.permille(250)) {
            const int extra = static_cast<int>(rng.below(a.teams.size()));
            if (extra != joined[0]) joined.push_back(extra);
        }
        for (int t : joined) {
            a.teams[static_cast<size_t>(t)].members.push_back(static_cast<int>(k));
            a.agents[k].teams.push_back(t);
            out.team_members.i(++ids.team_member).i(a.teams[static_cast<size_t>(t)].id).i(a.agents[k].user_id)
                .ts(users_created).ts(users_created).end_row();
        }
    }

    // --- inboxes ------------------------------------------------------------------------------
    int n_inboxes = 2 + (T >= 3000) + (T >= 15000) + (T >= 60000) + (T >= 250000) + 2 * (T >= 1000000) +
                    static_cast<int>(rng.below(2));
    if (a.id == 1) n_inboxes = std::max(n_inboxes, 4);
    const int home_zone = static_cast<int>(rng.below(static_cast<uint64_t>(kZoneCount)));
    int channel_weights[std::size(kChannels)];
    for (size_t c = 0; c < std::size(kChannels); ++c) channel_weights[c] = kChannels[c].weight;
    int channel_seen[std::size(kChannels)] = {};
    int agent_bot_id = 0;
    const int64_t inbox_created = users_created + rng.between(kHour, 5 * kDay);

    for (int k = 0; k < n_inboxes; ++k) {
        Inbox ib;
        ib.id = static_cast<int>(++ids.inbox);
        ib.channel = k == 0 ? kChannelWebWidget : k == 1 ? kChannelEmail : static_cast<int>(rng.weighted(channel_weights));
        ib.zone = rng.permille(650) ? home_zone : static_cast<int>(rng.below(static_cast<uint64_t>(kZoneCount)));
        ib.wh_enabled = rng.permille(800);
        int schedule = static_cast<int>(rng.weighted(kScheduleWeights));
        ib.csat = rng.permille(450);
        if (kChannels[ib.channel].botable && rng.permille(350))
            ib.bot = BotKind::AgentBot;
        else if (rng.permille(60))
            ib.bot = BotKind::Dialogflow;

        // Account 1 always has the same first four inboxes so that even a tiny data set covers
        // a DST zone in each hemisphere, a half-hour zone, a 30-minute DST shift, a disabled
        // schedule, both kinds of bot and CSAT.
        if (a.id == 1 && k < 4) {
            static const int fixed_channel[4] = {kChannelWebWidget, kChannelEmail, kChannelWhatsapp, 3};
            static const char* const fixed_zone[4] = {"America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
                                                      "Asia/Kolkata"};
            static const int fixed_schedule[4] = {kDefault, kExtended, kAllDay, kDefault};
            ib.channel = fixed_channel[k];
            for (int z = 0; z < kZoneCount; ++z)
                if (std::string(kZones[z].name) == fixed_zone[k]) ib.zone = z;
            schedule = fixed_schedule[k];
            ib.wh_enabled = k != 3;
            ib.csat = k <= 1;
            ib.bot = k == 0 ? BotKind::AgentBot : k == 3 ? BotKind::Dialogflow : BotKind::None;
        }
        fill_schedule(ib, schedule);
        ib.name = kChannels[ib.channel].inbox_name;
        if (channel_seen[ib.channel]++ > 0) ib.name += " " + std::to_string(channel_seen[ib.channel]);
        ib.weight = kChannels[ib.channel].weight * static_cast<int>(rng.between(50, 151));
        const int64_t created = inbox_created + k * kHour;
        const int64_t channel_id = ++ids.channel[ib.channel];
        std::string email_address;
        if (ib.channel == kChannelEmail)
            email_address = "support" + std::to_string(ib.id) + "@account" + std::to_string(a.id) + ".example.com";

        out.inboxes.i(ib.id).i(channel_id).i(a.id).s(ib.name).ts(created).ts(created).s(kChannels[ib.channel].type)
            .b(true);
        if (email_address.empty()) out.inboxes.null(); else out.inboxes.s(email_address);
        out.inboxes.b(ib.wh_enabled).s(kZones[ib.zone].name).b(ib.csat).end_row();
        emit_working_hours(out, ids, ib, a.id, created);

        const bool inactive_link = ib.bot == BotKind::None && (a.id == 1 ? k == 1 : rng.permille(50));
        if (ib.bot == BotKind::AgentBot || inactive_link) {
            if (agent_bot_id == 0) {
                agent_bot_id = static_cast<int>(++ids.agent_bot);
                out.agent_bots.i(agent_bot_id).s(a.name + " Bot").s("Answers first, hands off to agents")
                    .s("https://bot.example.com/webhook/" + std::to_string(agent_bot_id)).ts(created).ts(created)
                    .i(a.id).i(0).end_row();
                emit_token(out, ids, "AgentBot", agent_bot_id, token("bot", agent_bot_id, 10), created);
            }
            // An inactive bot link (status 1) does not make an inbox a bot inbox.
            const bool active = ib.bot == BotKind::AgentBot;
            out.agent_bot_inboxes.i(++ids.agent_bot_inbox).i(ib.id).i(agent_bot_id).i(active ? 0 : 1).ts(created)
                .ts(created).i(a.id).end_row();
            if (active) {
                ib.bot_id = agent_bot_id;
                ib.bot_name = a.name + " Bot";
            }
        }
        if (ib.bot == BotKind::Dialogflow) ib.bot_name = "Dialogflow";
        // Dialogflow hooks: an enabled one makes the inbox a bot inbox, a disabled one must not.
        const bool disabled_hook = ib.bot == BotKind::None && (a.id == 1 ? k == 2 : rng.permille(80));
        if (ib.bot == BotKind::Dialogflow || disabled_hook) {
            out.integrations_hooks.i(++ids.hook).i(disabled_hook ? 0 : 1).i(ib.id).i(a.id).s("dialogflow").i(1)
                .s("demo-project-" + std::to_string(ib.id)).ts(created).ts(created)
                .s("{\"project_id\": \"demo-project-" + std::to_string(ib.id) + "\"}").end_row();
        }
        build_arrival_cdf(ib, cfg, rng);
        a.inboxes.push_back(std::move(ib));
    }
    if (rng.permille(300)) {  // an account-level hook unrelated to bots
        out.integrations_hooks.i(++ids.hook).i(1).null().i(a.id).s("slack").i(0).s("C0DEMO" + std::to_string(a.id))
            .ts(inbox_created).ts(inbox_created).s("{}").end_row();
    }

    // --- labels -------------------------------------------------------------------------------
    const int n_labels = static_cast<int>(clamp64(4 + n_agents / 5, 4, static_cast<int64_t>(std::size(kLabelTitles))));
    for (int t : choose(rng, static_cast<int>(std::size(kLabelTitles)), n_labels)) {
        Label l;
        l.id = static_cast<int>(++ids.label);
        l.title = kLabelTitles[t];
        l.tag_id = tags.id_for(l.title, ids);
        const char* color = rng.pick(kLabelColors);
        const bool on_sidebar = rng.permille(800);
        out.labels.i(l.id).s(l.title).s("Conversations about " + l.title).s(color).b(on_sidebar).i(a.id)
            .ts(inbox_created).ts(inbox_created).end_row();
        a.labels.push_back(std::move(l));
    }
}

}  // namespace demo
