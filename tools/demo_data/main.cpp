// support-reports-demo-data: writes a psql script (BEGIN; COPY blocks; setval; COMMIT;) with a
// deterministic, realistic Chatwoot data set for the tables in sql/chatwoot_schema.sql.
// See docs/demo-data.md.
#include "civil_time.hpp"
#include "model.hpp"
#include "rng.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace demo;

const char kUsage[] =
    "usage: support-reports-demo-data [--accounts N] [--events M] [--seed S] [--start YYYY-MM-DD]\n"
    "                                 [--end YYYY-MM-DD] [--days D] [--large-account-events K]\n"
    "                                 [--truncate]"
" [--status-history]\n"
    "\n"
    "Writes to stdout a psql script that loads deterministic, realistic Chatwoot data (accounts,\n"
    "agents, inboxes, working hours, conversations, messages, reporting events, CSAT, labels, ...)\n"
    "into the tables of sql/chatwoot_schema.sql. Pipe it into `psql -v ON_ERROR_STOP=1`.\n"
    "\n"
    "  --accounts N               number of accounts (default 3)\n"
    "  --events M                 approximate total reporting_events across all accounts (default 20000)\n"
    "  --seed S                   random seed, 0..2^64-1 (default 42); same seed + arguments = same bytes\n"
    "  --start YYYY-MM-DD         first day of the simulated window, UTC\n"
    "  --end YYYY-MM-DD           last day of the window, UTC (default: today); the window is the D\n"
    "                             days up to and including it. Give --start or --end, not both\n"
    "  --days D                   length of the window in days (default 90)\n"
    "  --large-account-events K   additionally give account 1 about K events (default 0)\n"
    "  --truncate                 TRUNCATE the 20 tables at the start of the transaction (destroys\n"
    "                             their contents) and load with COPY ... WITH (FREEZE): faster bulk\n"
    "                             loads, no hint-bit rewrite or freezing VACUUM afterwards\n"
    "  --status-history           also load every conversation's status changes into the\n"
    "                             support_reports extension's reports.conversation_status_changes\n"
    "                             (what its trigger records live; the table must exist)\n"
    "  --help                     show this help\n"
    "\n"
    "Progress and a summary go to stderr. Ids are assigned by the generator: load into empty tables.\n";

[[noreturn]] void bad_argument(const std::string& arg, const std::string& why) {
    std::fprintf(stderr, "support-reports-demo-data: %s: %s\n(run with --help for usage)\n", arg.c_str(), why.c_str());
    std::exit(2);
}

bool parse_u64(const char* s, uint64_t& out) {
    if (*s == 0) return false;
    uint64_t v = 0;
    for (; *s; ++s) {
        if (*s < '0' || *s > '9') return false;
        const uint64_t d = static_cast<uint64_t>(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

int64_t parse_count(const std::string& name, const char* value, int64_t lo, int64_t hi) {
    uint64_t v;
    if (!parse_u64(value, v) || v < static_cast<uint64_t>(lo) || v > static_cast<uint64_t>(hi))
        bad_argument(name, "expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '" +
                               value + "'");
    return static_cast<int64_t>(v);
}

// Today's date in UTC, as days since the epoch: the default last day of the window. The only
// place the generator reads the clock; the output is a function of the arguments and this date.
int64_t today_utc() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return floor_div(std::chrono::duration_cast<std::chrono::seconds>(now).count(), 86400);
}

Config parse_args(int argc, char** argv) {
    Config cfg;
    bool have_start = false, have_end = false;
    int64_t end_day = 0;
    for (int k = 1; k < argc; ++k) {
        std::string arg = argv[k];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        }
        if (arg == "--truncate") {
            cfg.truncate = true;
            continue;
        }
        if (arg == "--status-history") {
            cfg.status_history = true;
            continue;
        }
        std::string value;
        const size_t eq = arg.find('=');
        if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        } else if (arg.rfind("--", 0) == 0) {
            static const char* const kValued[] = {"--accounts", "--events", "--seed", "--start", "--end", "--days",
                                                  "--large-account-events"};
            bool known = false;
            for (const char* o : kValued) known = known || arg == o;
            if (!known) bad_argument(arg, "unknown option");
            if (k + 1 >= argc) bad_argument(arg, "missing value");
            value = argv[++k];
        } else {
            bad_argument(arg, "unexpected argument");
        }
        if (arg == "--accounts") {
            cfg.accounts = parse_count(arg, value.c_str(), 1, 10000000);
        } else if (arg == "--events") {
            cfg.events = parse_count(arg, value.c_str(), 0, 2000000000);
        } else if (arg == "--seed") {
            if (!parse_u64(value.c_str(), cfg.seed)) bad_argument(arg, "expected an unsigned integer, got '" + value + "'");
        } else if (arg == "--start") {
            if (!parse_date(value.c_str(), cfg.start_day))
                bad_argument(arg, "expected a date YYYY-MM-DD between 1971 and 2200, got '" + value + "'");
            have_start = true;
        } else if (arg == "--end") {
            if (!parse_date(value.c_str(), end_day))
                bad_argument(arg, "expected a date YYYY-MM-DD between 1971 and 2200, got '" + value + "'");
            have_end = true;
        } else if (arg == "--days") {
            cfg.days = parse_count(arg, value.c_str(), 1, 3660);
        } else if (arg == "--large-account-events") {
            cfg.large_account_events = parse_count(arg, value.c_str(), 0, 2000000000);
        } else {
            bad_argument(arg, "unknown option");
        }
    }
    if (have_start && have_end) bad_argument("--end", "give --start or --end, not both");
    if (!have_start) cfg.start_day = (have_end ? end_day : today_utc()) - cfg.days + 1;
    return cfg;
}

// Progress on stderr at every 10% of the expected total, for long runs only.
struct Progress {
    int64_t total = 0;
    int64_t base = 0;       // events of finished accounts
    int64_t next_mark = 0;  // next threshold to report
    bool enabled = false;
} g_progress;

void report_progress(int64_t account_events) {
    if (!g_progress.enabled) return;
    const int64_t done = g_progress.base + account_events;
    while (done >= g_progress.next_mark && g_progress.next_mark < g_progress.total) {
        std::fprintf(stderr, "demo-data: %lld/%lld events\n", static_cast<long long>(g_progress.next_mark),
                     static_cast<long long>(g_progress.total));
        g_progress.next_mark += g_progress.total / 10;
    }
}

// Events a conversation yields before calibration; only sizes the pilot run.
constexpr int64_t kGuessEventsPerConversationX10 = 33;
// Conversations simulated (without output) to calibrate an account's events per conversation.
constexpr int64_t kPilotConversations = 4000;

}  // namespace

int main(int argc, char** argv) {
    const Config cfg = parse_args(argc, argv);
    const auto started = std::chrono::steady_clock::now();

    Output out;
    Ids ids;
    TagRegistry tags;

    // Account sizes: a skewed mix of small, medium and large tenants, drawn once up front so
    // each account's share does not depend on how the others turned out.
    std::vector<int64_t> weight(static_cast<size_t>(cfg.accounts) + 1, 0);
    {
        Rng rng = Rng::derive(cfg.seed, 0, 7);
        const Band sizes[] = {{300, 1000, 60}, {1000, 3000, 30}, {3000, 10000, 10}};
        for (int64_t a = 1; a <= cfg.accounts; ++a) weight[static_cast<size_t>(a)] = sample(rng, sizes);
    }
    int64_t weight_left = 0;
    for (int64_t a = 1; a <= cfg.accounts; ++a) weight_left += weight[static_cast<size_t>(a)];

    g_progress.total = cfg.events + cfg.large_account_events;
    g_progress.enabled = g_progress.total >= 200000;
    g_progress.next_mark = g_progress.total / 10;

    write_raw("-- support_reports demo data (tools/demo_data); load into the tables of sql/chatwoot_schema.sql\n"
              "SET client_encoding = 'UTF8';\n"
              "BEGIN;\n");
    if (cfg.truncate) {
        std::string truncate = "TRUNCATE ";
        const char* sep = "";
        for (Table* t : out.all()) {
            truncate += sep;
            truncate += t->name();
            sep = ", ";
        }
        if (cfg.status_history) truncate += ", reports.conversation_status_changes";
        write_raw(truncate + ";\n");
        Table::set_freeze(true);
    }

    int64_t regular_done = 0, events_total = 0, conversations_total = 0;
    for (int64_t a = 1; a <= cfg.accounts; ++a) {
        Account acct;
        acct.id = static_cast<int>(++ids.account);
        // Each account gets its share of what is still missing, so calibration errors of earlier
        // accounts are absorbed by later ones and the total lands close to --events.
        const int64_t regular = (cfg.events - regular_done) * weight[static_cast<size_t>(a)] / weight_left;
        weight_left -= weight[static_cast<size_t>(a)];
        acct.target_events = std::max<int64_t>(regular, 0) + (a == 1 ? cfg.large_account_events : 0);
        setup_account(acct, cfg, ids, tags, out);

        int64_t n = 0;
        if (acct.target_events > 0) {
            // Calibrate: play a sample of this account's conversations without output to learn
            // how many events a conversation yields here (it depends on the bot/CSAT mix and on
            // how much of the window is left for late conversations), then size the real run.
            const int64_t guess = std::max<int64_t>(1, acct.target_events * 10 / kGuessEventsPerConversationX10);
            const int64_t pilot_n = std::min(guess, kPilotConversations);
            Ids scratch = ids;
            const size_t contacts_before = acct.contacts.size();
            const SimCounts pilot = simulate_account(acct, cfg, pilot_n, 1, scratch, nullptr, nullptr);
            acct.contacts.resize(contacts_before);
            n = pilot.events > 0 ? std::max<int64_t>(1, (acct.target_events * pilot_n + pilot.events / 2) / pilot.events)
                                 : guess;
        }
        const SimCounts real = simulate_account(acct, cfg, n, 2, ids, &tags, &out, report_progress);
        g_progress.base += real.events;
        events_total += real.events;
        conversations_total += real.conversations;
        regular_done += a == 1 ? std::max<int64_t>(0, real.events - cfg.large_account_events) : real.events;
    }

    for (size_t k = 0; k < tags.names.size(); ++k)
        out.tags.i(static_cast<int64_t>(k) + 1).s(tags.names[k]).i(tags.counts[k]).end_row();

    for (Table* t : out.all()) t->flush();
    out.status_changes.flush();

    // Serial sequences continue after the generated ids (one DO block, so psql prints nothing).
    std::string tail = "DO $$\nBEGIN\n";
    for (Table* t : out.all()) {
        tail += "    PERFORM setval(pg_get_serial_sequence('";
        tail += t->name();
        tail += "', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM ";
        tail += t->name();
        tail += "), false);\n";
    }
    tail += "END\n$$;\n";
    tail += "COMMIT;\n";
    write_raw(tail);
    if (std::fflush(stdout) != 0) {
        std::fprintf(stderr, "demo-data: write to stdout failed\n");
        return 1;
    }

    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    int64_t first_y, last_y;
    int first_m, first_d, last_m, last_d;
    civil_from_days(cfg.start_day, first_y, first_m, first_d);
    civil_from_days(cfg.start_day + cfg.days - 1, last_y, last_m, last_d);
    std::fprintf(stderr, "demo-data: window %04lld-%02d-%02d .. %04lld-%02d-%02d (%lld days, UTC)\n",
                 static_cast<long long>(first_y), first_m, first_d, static_cast<long long>(last_y), last_m, last_d,
                 static_cast<long long>(cfg.days));
    std::fprintf(stderr,
                 "demo-data: seed %llu: %lld accounts, %llu users, %llu inboxes, %llu contacts, %lld conversations, "
                 "%llu messages, %lld reporting_events, %llu csat responses, %llu taggings in %.1f s\n",
                 static_cast<unsigned long long>(cfg.seed), static_cast<long long>(cfg.accounts),
                 static_cast<unsigned long long>(out.users.rows()), static_cast<unsigned long long>(out.inboxes.rows()),
                 static_cast<unsigned long long>(out.contacts.rows()), static_cast<long long>(conversations_total),
                 static_cast<unsigned long long>(out.messages.rows()), static_cast<long long>(events_total),
                 static_cast<unsigned long long>(out.csat_survey_responses.rows()),
                 static_cast<unsigned long long>(out.taggings.rows()), secs);
    return 0;
}
