// The generator's in-memory model: configuration, the per-account world (agents, inboxes,
// teams, labels, contacts), id counters and the output tables.
#pragma once

#include "copy_writer.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace demo {

struct Config {
    int64_t accounts = 3;
    int64_t events = 20000;
    uint64_t seed = 42;
    int64_t start_day = 0;  // days since epoch of --start
    int64_t days = 90;
    int64_t large_account_events = 0;
    bool truncate = false;  // TRUNCATE the tables first and load with COPY ... WITH (FREEZE)
    bool status_history = false;  // also write reports.conversation_status_changes

    int64_t window_start() const;  // microseconds
    int64_t window_end() const;
};

// One weekday of an inbox's working hours, as stored in working_hours.
struct WorkDay {
    bool closed = true;
    bool all_day = false;
    int open_min = 0;   // minutes after local midnight
    int close_min = 0;  // exclusive; 23:59 for open_all_day, as Chatwoot saves it
};

enum class BotKind { None, AgentBot, Dialogflow };

struct Inbox {
    int id = 0;
    int channel = 0;  // index into catalog::kChannels
    std::string name;
    int zone = 0;     // index into kZones
    bool wh_enabled = false;
    WorkDay week[7];
    bool csat = false;
    BotKind bot = BotKind::None;
    int bot_id = 0;       // agent_bots.id answering in this inbox (AgentBot kind)
    std::string bot_name;
    int weight = 1;       // share of the account's traffic
    std::vector<uint64_t> arrival_cdf;  // cumulative arrival weight per hour of the window
};

struct Agent {
    int user_id = 0;
    std::string name;
    int speed = 1000;  // per-mille multiplier on this agent's reply delays
    int load = 1;      // relative share of assignments
    std::vector<int> teams;  // indices into Account::teams
};

struct Team {
    int id = 0;
    std::string name;
    std::vector<int> members;  // indices into Account::agents
};

struct Label {
    int id = 0;
    std::string title;
    int tag_id = 0;
};

// Contacts are kept until the account is done so last_activity_at can be written final.
struct ContactRec {
    int id = 0;
    int64_t created = 0;
    int64_t last_activity = 0;
    uint32_t variant = 0;  // random bits the row's names/attributes are derived from
};

struct Account {
    int id = 0;
    int64_t created = 0;
    std::string name;
    int64_t target_events = 0;
    std::vector<Agent> agents;
    int owner_user_id = 0;  // first administrator; reviews CSAT notes, gets the documented token
    std::vector<Team> teams;
    std::vector<Inbox> inboxes;
    std::vector<Label> labels;
    std::vector<ContactRec> contacts;
};

// Next id per serial table. Ids are assigned by the generator so they are stable per seed.
struct Ids {
    int64_t account = 0, user = 0, account_user = 0, custom_role = 0, team = 0, team_member = 0;
    int64_t inbox = 0, working_hour = 0, label = 0, tag = 0, tagging = 0, contact = 0;
    int64_t conversation = 0, message = 0, event = 0, csat = 0, access_token = 0;
    int64_t agent_bot = 0, agent_bot_inbox = 0, hook = 0;
    std::map<int, int64_t> channel;  // per channel kind, like Chatwoot's channel_* tables
    std::string first_owner_name;    // user 1 (account 1's owner), who is also an agent of account 2
};

// The global tags table: one row per distinct label title, counted like acts-as-taggable-on.
struct TagRegistry {
    std::map<std::string, int> id_by_name;
    std::vector<std::string> names;  // index = id - 1
    std::vector<int64_t> counts;
    int id_for(const std::string& name, Ids& ids);
};

struct Output {
    Table accounts{"accounts",
                   "id, name, created_at, updated_at, locale, feature_flags, auto_resolve_duration, status"};
    Table users{"users",
                "id, provider, uid, encrypted_password, sign_in_count, name, display_name, email, "
                "confirmed_at, created_at, updated_at, availability, type"};
    Table account_users{"account_users",
                        "id, account_id, user_id, role, inviter_id, created_at, updated_at, active_at, "
                        "availability, auto_offline, custom_role_id"};
    Table custom_roles{"custom_roles", "id, name, description, account_id, permissions, created_at, updated_at"};
    Table teams{"teams", "id, name, description, allow_auto_assign, account_id, created_at, updated_at"};
    Table team_members{"team_members", "id, team_id, user_id, created_at, updated_at"};
    Table inboxes{"inboxes",
                  "id, channel_id, account_id, name, created_at, updated_at, channel_type, "
                  "enable_auto_assignment, email_address, working_hours_enabled, timezone, "
                  "csat_survey_enabled"};
    Table working_hours{"working_hours",
                        "id, inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, "
                        "close_hour, close_minutes, created_at, updated_at, open_all_day"};
    Table agent_bots{"agent_bots", "id, name, description, outgoing_url, created_at, updated_at, account_id, bot_type"};
    Table agent_bot_inboxes{"agent_bot_inboxes",
                            "id, inbox_id, agent_bot_id, status, created_at, updated_at, account_id"};
    Table integrations_hooks{"integrations_hooks",
                             "id, status, inbox_id, account_id, app_id, hook_type, reference_id, created_at, "
                             "updated_at, settings"};
    Table access_tokens{"access_tokens", "id, owner_type, owner_id, token, created_at, updated_at"};
    Table labels{"labels", "id, title, description, color, show_on_sidebar, account_id, created_at, updated_at"};
    Table tags{"tags", "id, name, taggings_count"};
    Table taggings{"taggings", "id, tag_id, taggable_type, taggable_id, tagger_type, tagger_id, context, created_at"};
    Table contacts{"contacts",
                   "id, name, email, phone_number, account_id, created_at, updated_at, additional_attributes, "
                   "identifier, custom_attributes, last_activity_at, contact_type, blocked"};
    Table conversations{"conversations",
                        "id, account_id, inbox_id, status, assignee_id, created_at, updated_at, contact_id, "
                        "display_id, contact_last_seen_at, agent_last_seen_at, additional_attributes, uuid, "
                        "last_activity_at, team_id, snoozed_until, assignee_last_seen_at, "
                        "first_reply_created_at, priority, waiting_since, cached_label_list"};
    Table messages{"messages",
                   "id, content, account_id, inbox_id, conversation_id, message_type, created_at, updated_at, "
                   "private, status, content_type, content_attributes, sender_type, sender_id"};
    Table reporting_events{"reporting_events",
                           "id, name, value, account_id, inbox_id, user_id, conversation_id, created_at, "
                           "updated_at, value_in_business_hours, event_start_time, event_end_time"};
    Table csat_survey_responses{"csat_survey_responses",
                                "id, account_id, conversation_id, message_id, rating, feedback_message, "
                                "contact_id, assigned_agent_id, created_at, updated_at, csat_review_notes, "
                                "review_notes_updated_at, review_notes_updated_by_id"};

    // The support_reports extension's status history (Chatwoot keeps none), written only with
    // --status-history; its id column keeps its default.
    Table status_changes{"reports.conversation_status_changes",
                         "account_id, conversation_id, status, previous_status, changed_at"};

    // The Chatwoot tables, in flush order at the end of the run.
    std::vector<Table*> all() {
        return {&accounts, &users, &account_users, &custom_roles, &teams, &team_members, &inboxes,
                &working_hours, &agent_bots, &agent_bot_inboxes, &integrations_hooks, &access_tokens,
                &labels, &tags, &taggings, &contacts, &conversations, &messages, &reporting_events,
                &csat_survey_responses};
    }
};

// What one simulated account produced; the pilot run only needs the event count.
struct SimCounts {
    int64_t conversations = 0;
    int64_t events = 0;
};

// Builds an account's users, inboxes, teams, labels, bots, tokens and working hours and writes
// their rows. `rng_seed` is the run's --seed.
void setup_account(Account& acct, const Config& cfg, Ids& ids, TagRegistry& tags, Output& out);

// Simulates `n` conversations of `acct` over the configured window. With `out == nullptr`
// nothing is written and no shared state (ids, tags, contacts) is touched: a dry run whose only
// purpose is to measure how many reporting events a conversation yields for this account.
SimCounts simulate_account(Account& acct, const Config& cfg, int64_t n, uint64_t stream, Ids& ids,
                           TagRegistry* tags, Output* out,
                           void (*progress)(int64_t events_so_far) = nullptr);

}  // namespace demo
