// Conversation lifecycle simulation.
//
// Each conversation is played forward in time as Chatwoot would see it: messages arrive, agents
// and bots answer, statuses change. Every state change applies Chatwoot's own rules (Message and
// Conversation callbacks, ReportingEventListener; reference §2), so the reporting_events rows
// are exactly what Chatwoot would have inserted for these messages:
//
//   * waiting_since: set on creation; an incoming message sets it when blank; a human reply
//     clears it (emitting reply_time), an AgentBot reply clears it silently, resolution clears it.
//   * the first public human reply emits first_response measured from the last non-human
//     activity (LNHA): the latest bot-handoff/opened event, else the last bot resolution, else
//     the conversation's creation.
//   * every status change to open emits conversation_opened; to resolved emits
//     conversation_resolved (plus conversation_bot_resolved in bot inboxes when no agent ever
//     wrote); a bot handoff emits conversation_bot_handoff once per conversation.
//   * values are whole seconds from timestamps truncated to seconds (Ruby's to_i); created_at of
//     an event is its end time.
//
// Nothing happens at or after the end of the window: a conversation whose next step would fall
// after it stays in its current state (open, pending, snoozed, waiting), like live data.
#include "conversation_sim.hpp"

#include "catalog.hpp"
#include "civil_time.hpp"

#include <algorithm>
#include <utility>

namespace demo {
namespace {

using namespace catalog;

enum Status { kOpen = 0, kResolved = 1, kPending = 2, kSnoozed = 3 };
enum MessageType { kIncoming = 0, kOutgoing = 1, kActivity = 2, kTemplate = 3 };
enum ContentType { kText = 0, kIncomingEmail = 8, kInputCsat = 9 };
enum MessageStatus { kSent = 0, kDelivered = 1, kRead = 2, kFailed = 3 };

constexpr int64_t kMs = 1000;

// First reply delay before the agent's own speed and office hours are applied. Spread so every
// bucket of both response-time histograms (5/15/30/60 min and 1/4/8/24 h) gets traffic.
const Band kReplyBands[] = {
    {5 * kSec, kMin, 12},          {kMin, 5 * kMin, 22},         {5 * kMin, 15 * kMin, 20},
    {15 * kMin, 30 * kMin, 14},    {30 * kMin, kHour, 12},       {kHour, 4 * kHour, 10},
    {4 * kHour, 8 * kHour, 5},     {8 * kHour, kDay, 3},         {kDay, 3 * kDay, 2},
};
// How long a contact takes to write again.
const Band kContactBands[] = {
    {10 * kSec, 2 * kMin, 30}, {2 * kMin, 15 * kMin, 30}, {15 * kMin, 3 * kHour, 25}, {3 * kHour, 2 * kDay, 15},
};
// From the last exchange to resolution.
const Band kResolveBands[] = {
    {kMin, 10 * kMin, 30}, {10 * kMin, kHour, 25}, {kHour, 8 * kHour, 20}, {8 * kHour, 3 * kDay, 25},
};
// From resolution to the contact writing again (reopen).
const Band kReopenBands[] = {{10 * kMin, 3 * kHour, 30}, {3 * kHour, kDay, 40}, {kDay, 7 * kDay, 30}};
// From the CSAT survey to the contact's rating.
const Band kCsatBands[] = {{30 * kSec, 10 * kMin, 45}, {10 * kMin, 3 * kHour, 35}, {3 * kHour, 2 * kDay, 20}};

int64_t to_i(int64_t micros) { return floor_div(micros, kSec); }

class ConversationSim {
public:
    ConversationSim(Account& acct, const Config& cfg, Rng& rng, Ids& ids, TagRegistry* tags, Output* out,
                    SimCounts& counts)
        : acct_(acct), rng_(rng), ids_(ids), tags_(tags), out_(out), counts_(counts), end_(cfg.window_end()),
          history_(out && cfg.status_history) {}

    void run(int64_t created, int inbox_index, int display_id) {
        inbox_ = &acct_.inboxes[static_cast<size_t>(inbox_index)];
        id_ = ++ids_.conversation;
        display_id_ = display_id;
        created_ = now_ = updated_ = last_activity_ = created;
        choose_contact(created);

        // Conversation::determine_conversation_status / ensure_waiting_since.
        status_ = bot() ? kPending : kOpen;
        record_status(status_, -1, created);
        waiting_since_ = created;
        ++counts_.conversations;

        const char* opening = rng_.pick(kOpeningMessages);
        incoming(created + rng_.between(2 * kMs, 80 * kMs), opening);
        if (rng_.permille(200)) incoming(now_ + rng_.between(5 * kSec, 90 * kSec));
        if (!acct_.teams.empty() && rng_.permille(300)) {
            const int team = static_cast<int>(rng_.below(acct_.teams.size()));
            set_team(now_ + rng_.between(200 * kMs, 2 * kSec), team, nullptr);
        }

        if (bot()) {
            bot_phase(0);
        } else {
            auto_assign();
            human_phase(0);
        }
        write_conversation(opening);
    }

private:
    // ---- time ---------------------------------------------------------------------------------
    // Moves the clock to t; false (and the conversation freezes) once t reaches the window end.
    bool advance(int64_t t) {
        if (!alive_ || t >= end_) {
            alive_ = false;
            return false;
        }
        if (t <= now_) t = now_ + 1;
        now_ = t;
        return true;
    }

    bool bot() const { return inbox_->bot != BotKind::None; }

    // Moves a reply into the inbox's office hours most of the time: agents answer when they are
    // at work, which is what makes business-hours values differ from wall-clock ones.
    int64_t in_office(int64_t t, int agent) {
        if (!inbox_->wh_enabled || !rng_.permille(850)) return t;
        const int64_t open = next_open(t);
        if (open == t) return t;
        return open + rng_.between(kMin, 40 * kMin) * speed(agent) / 1000;
    }

    // Start of the next working period at or after t in the inbox's zone (t itself when open).
    int64_t next_open(int64_t t) const {
        int64_t s = to_i(t);
        for (int step = 0; step < 9; ++step) {
            const int64_t local = s + utc_offset(inbox_->zone, s);
            const int64_t day = floor_div(local, 86400);
            const int64_t sod = local - day * 86400;
            const WorkDay& w = inbox_->week[weekday_from_days(day)];
            if (!w.closed && sod < w.close_min * 60) {
                if (sod >= w.open_min * 60) return step == 0 ? t : s * kSec;
                return (s + w.open_min * 60 - sod) * kSec;
            }
            s += 86400 - sod;
        }
        return t;  // never open
    }

    int64_t speed(int agent) const { return agent >= 0 ? acct_.agents[static_cast<size_t>(agent)].speed : 1000; }

    int64_t reply_delay(int agent) { return std::max<int64_t>(3 * kSec, sample(rng_, kReplyBands) * speed(agent) / 1000); }

    // ---- people -------------------------------------------------------------------------------
    void choose_contact(int64_t created) {
        auto& contacts = acct_.contacts;
        if (!contacts.empty() && rng_.permille(250)) {
            contact_ = static_cast<int>(rng_.below(contacts.size()));
            return;
        }
        ContactRec c;
        c.id = static_cast<int>(++ids_.contact);
        c.created = created - rng_.between(kSec, kMin);
        c.last_activity = c.created;
        c.variant = static_cast<uint32_t>(rng_.next());
        contact_ = static_cast<int>(contacts.size());
        contacts.push_back(c);
    }

    int pick_agent(int team) {
        if (acct_.agents.empty()) return -1;
        const std::vector<int>* pool = nullptr;
        if (team >= 0 && !acct_.teams[static_cast<size_t>(team)].members.empty())
            pool = &acct_.teams[static_cast<size_t>(team)].members;
        int64_t total = 0;
        const size_t n = pool ? pool->size() : acct_.agents.size();
        for (size_t k = 0; k < n; ++k) total += acct_.agents[static_cast<size_t>(pool ? (*pool)[k] : static_cast<int>(k))].load;
        int64_t r = static_cast<int64_t>(rng_.below(static_cast<uint64_t>(total)));
        for (size_t k = 0; k < n; ++k) {
            const int idx = pool ? (*pool)[k] : static_cast<int>(k);
            r -= acct_.agents[static_cast<size_t>(idx)].load;
            if (r < 0) return idx;
        }
        return pool ? pool->back() : static_cast<int>(n - 1);
    }

    int replier() {
        if (assignee_ >= 0 && rng_.permille(900)) return assignee_;
        return pick_agent(team_);
    }

    int64_t user_id(int agent) const { return agent >= 0 ? acct_.agents[static_cast<size_t>(agent)].user_id : 0; }
    const std::string& agent_name(int agent) const { return acct_.agents[static_cast<size_t>(agent)].name; }

    // ---- rows ---------------------------------------------------------------------------------
    int64_t message(int type, bool priv, int content_type, std::string_view content, const char* sender_type,
                    int64_t sender_id, int status, std::string_view attrs = "{}", int64_t updated = 0) {
        const int64_t id = ++ids_.message;
        last_activity_ = updated_ = now_;
        if (!out_) return id;
        Table& m = out_->messages;
        m.i(id).s(content).i(acct_.id).i(inbox_->id).i(id_).i(type).ts(now_).ts(updated ? updated : now_).b(priv)
            .i(status).i(content_type).s(attrs);
        if (sender_type) m.s(sender_type).i(sender_id); else m.null().null();
        m.end_row();
        return id;
    }

    // zero: a conversation_opened without a prior resolution, for which Chatwoot stores 0 in both
    // value and value_in_business_hours although start/end span creation..reopen. Every other
    // event's value is end - start in whole seconds, and its business-hours value is left NULL
    // for PostgreSQL to fill.
    void event(const char* name, int64_t start, int64_t end, int64_t user, bool zero = false) {
        ++counts_.events;
        if (!out_) return;
        Table& e = out_->reporting_events;
        e.i(++ids_.event).s(name).i(zero ? 0 : to_i(end) - to_i(start)).i(acct_.id).i(inbox_->id).id_or_null(user)
            .i(id_).ts(end).ts(end);
        if (zero) e.i(0); else e.null();
        e.ts(start).ts(end).end_row();
    }

    // What the extension's status-history trigger would have recorded had the conversation been
    // created and updated live: the initial status (previous NULL), then every change.
    void record_status(int status, int previous, int64_t at) {
        if (!history_) return;
        Table& h = out_->status_changes;
        h.i(acct_.id).i(id_).i(status);
        if (previous < 0) h.null(); else h.i(previous);
        h.ts(at).end_row();
    }

    void activity(int64_t t, const std::string& text) {
        if (advance(t)) message(kActivity, false, kText, text, nullptr, 0, kSent);
    }

    int64_t soon() { return now_ + rng_.between(20 * kMs, 400 * kMs); }

    // ---- messages -----------------------------------------------------------------------------
    // text nullptr: a follow-up message (drawn here, so no call makes two draws in one expression,
    // whose order C++ leaves unspecified).
    bool incoming(int64_t t, const char* text = nullptr) {
        // A message that reopens the conversation and its status change happen together or not
        // at all, so the window end never splits them.
        const bool reopens = status_ == kSnoozed || status_ == kResolved;
        if (reopens && t >= end_ - kSec) t = end_;
        if (!advance(t)) return false;
        const int64_t at = now_;
        const bool email = kChannels[inbox_->channel].type == std::string_view("Channel::Email");
        if (!text) text = rng_.pick(kFollowUps);
        message(kIncoming, false, email ? kIncomingEmail : kText, text, "Contact",
                acct_.contacts[static_cast<size_t>(contact_)].id, kSent);
        acct_.contacts[static_cast<size_t>(contact_)].last_activity = now_;
        contact_seen_ = now_;
        // Message#reopen_conversation runs before the waiting_since update.
        if (status_ == kSnoozed) change_status(kOpen, soon(), nullptr);
        else if (status_ == kResolved) change_status(bot() ? kPending : kOpen, soon(), nullptr);
        if (waiting_since_ == 0) waiting_since_ = at;
        return true;
    }

    bool agent_message(int64_t t, int agent, bool priv) {
        if (agent < 0 || !advance(t)) return false;
        const int64_t user = user_id(agent);
        const int status = rng_.permille(10) ? kFailed : rng_.permille(600) ? kRead : kDelivered;
        message(kOutgoing, priv, kText, priv ? rng_.pick(kPrivateNotes) : rng_.pick(kAgentReplies), "User", user,
                status);
        any_user_outgoing_ = true;
        agent_seen_ = now_;
        if (priv) return true;  // private notes never touch waiting_since or response metrics
        if (first_reply_ == 0) {
            event("first_response", lnha(), now_, user);
            first_reply_ = now_;
            waiting_since_ = 0;
        } else if (waiting_since_ != 0) {
            event("reply_time", waiting_since_, now_, user_id(assignee_));
            waiting_since_ = 0;
        }
        return true;
    }

    bool bot_message(int64_t t) {
        if (!advance(t)) return false;
        if (inbox_->bot == BotKind::AgentBot) {
            message(kOutgoing, false, kText, rng_.pick(kBotReplies), "AgentBot", inbox_->bot_id, kDelivered);
            waiting_since_ = 0;  // bot replies clear waiting_since without a reply_time event
        } else {
            // Dialogflow answers as a sender-less outgoing message: neither human nor AgentBot,
            // so it leaves waiting_since alone.
            message(kOutgoing, false, kText, rng_.pick(kBotReplies), nullptr, 0, kDelivered);
        }
        return true;
    }

    // ---- status -------------------------------------------------------------------------------
    int64_t lnha() const {
        if (lnha_open_or_handoff_) return lnha_open_or_handoff_;
        if (last_bot_resolved_) return last_bot_resolved_;
        return created_;
    }

    // Applies a status change at t (actor nullptr = system) with its activity message and events.
    bool change_status(int status, int64_t t, const std::string* actor) {
        if (status == status_) return true;
        if (!advance(t)) return false;
        const int64_t at = now_;
        record_status(status, status_, at);
        status_ = status;
        updated_ = status_changed_at_ = at;
        const int64_t assignee = user_id(assignee_);
        if (status != kSnoozed) snoozed_until_ = 0;
        switch (status) {
            case kOpen:
                if (last_resolved_) {
                    event("conversation_opened", last_resolved_, at, assignee);
                } else {
                    event("conversation_opened", created_, at, assignee, true);
                }
                lnha_open_or_handoff_ = at;
                activity(soon(), actor ? "Conversation was reopened by " + *actor
                                       : std::string("System reopened the conversation due to a new incoming message."));
                break;
            case kResolved:
                waiting_since_ = 0;
                event("conversation_resolved", created_, at, assignee);
                if (bot() && !any_user_outgoing_) {
                    event("conversation_bot_resolved", created_, at, assignee);
                    last_bot_resolved_ = at;
                }
                last_resolved_ = at;
                activity(soon(), "Conversation was marked resolved by " + (actor ? *actor : std::string("system")));
                send_csat();
                break;
            case kPending:
                activity(soon(), actor ? "Conversation was marked as pending by " + *actor
                                       : std::string("Conversation was marked as pending"));
                break;
            case kSnoozed:
                activity(soon(), "Conversation was snoozed by " + (actor ? *actor : std::string("system")));
                break;
        }
        return true;
    }

    // Conversation#bot_handoff!: open! (conversation_opened), then the handoff event, once per
    // conversation, both ending at the same instant.
    bool handoff(int64_t t) {
        int64_t at;
        if (status_ != kOpen) {
            if (!change_status(kOpen, t, &inbox_->bot_name)) return false;
            at = status_changed_at_;
        } else {
            if (!advance(t)) return false;
            at = now_;
        }
        if (!handoff_done_) {
            event("conversation_bot_handoff", created_, at, user_id(assignee_));
            handoff_done_ = true;
            lnha_open_or_handoff_ = std::max(lnha_open_or_handoff_, at);
        }
        return true;
    }

    bool resolve(int64_t t, int agent) {
        if (agent >= 0) return change_status(kResolved, t, &agent_name(agent));
        return change_status(kResolved, t, &inbox_->bot_name);
    }

    void send_csat() {
        if (!inbox_->csat || csat_sent_ || !advance(now_ + rng_.between(300 * kMs, 3 * kSec))) return;
        csat_sent_ = true;
        const int64_t sent = now_;
        const bool answers = rng_.permille(420);
        const int64_t answered = sent + sample(rng_, kCsatBands);
        const int rating_weights[5] = {10, 7, 11, 24, 48};  // 1..5 stars, skewed positive
        const int rating = static_cast<int>(rng_.weighted(rating_weights)) + 1;
        const char* feedback = rng_.permille(rating <= 2 ? 700 : rating == 3 ? 400 : 300) ? rng_.pick(kCsatFeedback)
                                                                                           : nullptr;
        const bool recorded = answers && answered < end_;
        std::string attrs = "{}";
        if (recorded) {
            attrs = "{\"submitted_values\":{\"csat_survey_response\":{\"rating\":" + std::to_string(rating);
            if (feedback) {
                attrs += ",\"feedback_message\":\"";
                append_json_escaped(attrs, feedback);
                attrs += '"';
            }
            attrs += "}}}";
        }
        const int64_t message_id = message(kTemplate, false, kInputCsat, "Please rate the conversation", nullptr, 0,
                                           kSent, attrs, recorded ? answered : 0);
        if (!recorded || !out_) return;
        const bool reviewed = rating <= 2 && rng_.permille(300);
        const int64_t review_at = answered + rng_.between(kHour, 2 * kDay);
        Table& c = out_->csat_survey_responses;
        c.i(++ids_.csat).i(acct_.id).i(id_).i(message_id).i(rating);
        if (feedback) c.s(feedback); else c.null();
        c.i(acct_.contacts[static_cast<size_t>(contact_)].id).id_or_null(user_id(assignee_)).ts(answered);
        if (reviewed && review_at < end_) {
            c.ts(review_at).s("Called the customer back; issue resolved.").ts(review_at).i(acct_.owner_user_id);
        } else {
            c.ts(answered).null().null().null();
        }
        c.end_row();
    }

    // ---- assignment, teams, labels --------------------------------------------------------------
    // by: the agent who assigns (agent itself = self-assignment), -1 = auto-assignment, which
    // Chatwoot records without an activity message (no user, no automation rule behind it).
    bool assign(int64_t t, int agent, int by) {
        if (agent < 0 || !advance(t)) return false;
        assignee_ = agent;
        updated_ = now_;
        if (by < 0)
            return true;
        else if (by == agent)
            activity(soon(), agent_name(agent) + " self-assigned this conversation");
        else
            activity(soon(), "Assigned to " + agent_name(agent) + " by " + agent_name(by));
        return true;
    }

    void auto_assign() {
        if (!rng_.permille(750)) return;
        const int agent = pick_agent(team_);
        assign(now_ + rng_.between(300 * kMs, 3 * kSec), agent, -1);
    }

    void set_team(int64_t t, int team, const std::string* by) {
        if (!advance(t)) return;
        team_ = team;
        updated_ = now_;
        activity(soon(), "Assigned to " + acct_.teams[static_cast<size_t>(team)].name + " by " +
                             (by ? *by : std::string("Automation System")));
    }

    void add_labels(int64_t t, int agent) {
        if (acct_.labels.empty() || agent < 0 || !advance(t)) return;
        const int count_weights[3] = {60, 30, 10};
        const size_t want = std::min(acct_.labels.size(), rng_.weighted(count_weights) + 1);
        std::string added;
        while (labels_.size() < want) {
            const int l = static_cast<int>(rng_.below(acct_.labels.size()));
            if (std::find(labels_.begin(), labels_.end(), l) != labels_.end()) continue;
            labels_.push_back(l);
            const Label& label = acct_.labels[static_cast<size_t>(l)];
            if (!added.empty()) added += ", ";
            added += label.title;
            ++ids_.tagging;
            if (tags_) ++tags_->counts[static_cast<size_t>(label.tag_id - 1)];
            if (out_)
                out_->taggings.i(ids_.tagging).i(label.tag_id).s("Conversation").i(id_).null().null().s("labels")
                    .ts(now_).end_row();
        }
        updated_ = now_;
        activity(soon(), agent_name(agent) + " added " + added);
    }

    // ---- phases -------------------------------------------------------------------------------
    // A bot answers first; then it hands off, resolves by itself, an agent jumps in, or the
    // contact leaves.
    void bot_phase(int cycle) {
        if (!bot_message(now_ + rng_.between(kSec, 6 * kSec))) return;
        const int round_weights[3] = {45, 35, 20};
        for (size_t r = rng_.weighted(round_weights); r > 0; --r) {
            if (!incoming(now_ + rng_.between(15 * kSec, 4 * kMin))) return;
            if (!bot_message(now_ + rng_.between(kSec, 6 * kSec))) return;
        }
        const int first_outcomes[4] = {55, 30, 5, 10};   // handoff, bot resolves, agent jumps in, abandoned
        const int later_outcomes[4] = {45, 25, 20, 10};
        switch (rng_.weighted(cycle == 0 ? first_outcomes : later_outcomes)) {
            case 0:
                if (!handoff(now_ + rng_.between(5 * kSec, 5 * kMin))) return;
                if (assignee_ < 0) auto_assign();
                human_phase(cycle);
                return;
            case 1:
                if (resolve(now_ + rng_.between(20 * kSec, 15 * kMin), -1)) post_resolution(cycle);
                return;
            case 2:
                human_phase(cycle);  // answered while still pending
                return;
            default:
                return;
        }
    }

    void human_phase(int cycle) {
        if (acct_.agents.empty()) return;
        int agent = replier();
        if (first_reply_ == 0) {
            const int outcomes[3] = {40, 30, 930};  // resolved unanswered (spam), never answered, answered
            const size_t o = rng_.weighted(outcomes);
            if (o == 0) {
                if (resolve(now_ + rng_.between(kMin, 3 * kHour), agent)) post_resolution(cycle);
                return;
            }
            if (o == 1) return;
            const int64_t t = in_office(now_ + reply_delay(agent), agent);
            if (t - now_ > 20 * kMin && rng_.permille(250))
                incoming(now_ + (t - now_) * rng_.between(30, 70) / 100, "Hello? Anyone there?");
            if (rng_.permille(70) && t - now_ > kMin) agent_message(t - rng_.between(10 * kSec, kMin), agent, true);
            if (assignee_ < 0 && rng_.permille(700) && t - now_ > 5 * kSec)
                assign(t - rng_.between(kSec, 5 * kSec), agent, agent);
            if (!agent_message(t, agent, false)) return;
            if (rng_.permille(180) && !agent_message(now_ + rng_.between(10 * kSec, 3 * kMin), agent, false)) return;
        } else if (waiting_since_ != 0) {
            if (!agent_message(in_office(now_ + reply_delay(agent), agent), agent, false)) return;
        }
        if (labels_.empty() && rng_.permille(550)) add_labels(now_ + rng_.between(5 * kSec, 10 * kMin), agent);
        if (team_ < 0 && !acct_.teams.empty() && rng_.permille(150)) {
            const int team = static_cast<int>(rng_.below(acct_.teams.size()));
            set_team(now_ + rng_.between(5 * kSec, 5 * kMin), team, &agent_name(agent));
        }

        const int round_weights[5] = {38, 30, 18, 9, 5};
        for (size_t r = rng_.weighted(round_weights); r > 0; --r) {
            if (!incoming(now_ + sample(rng_, kContactBands))) return;
            if (rng_.permille(250) && !incoming(now_ + rng_.between(10 * kSec, 3 * kMin)))
                return;
            if (rng_.permille(30)) return;  // the last message is never answered
            agent = replier();
            if (!agent_message(in_office(now_ + reply_delay(agent), agent), agent, false)) return;
            if (rng_.permille(60) && !park(agent)) return;
            if (rng_.permille(40)) {
                const int other = pick_agent(team_);
                if (other != assignee_ && !assign(now_ + rng_.between(kMin, kHour), other, agent)) return;
            }
        }
        if (!rng_.permille(880)) return;  // left open
        const int closer = assignee_ >= 0 ? assignee_ : agent;
        if (resolve(in_office(now_ + sample(rng_, kResolveBands), closer), closer)) post_resolution(cycle);
    }

    // Snooze or set pending while waiting on the customer, then come back to open.
    bool park(int agent) {
        if (rng_.permille(600)) {
            if (!change_status(kSnoozed, now_ + rng_.between(kMin, 30 * kMin), &agent_name(agent))) return false;
            snoozed_until_ = now_ + rng_.between(4 * kHour, 3 * kDay);
            if (rng_.permille(450)) {  // the contact writes first: Message#reopen_conversation
                if (!incoming(now_ + rng_.between(10 * kMin, snoozed_until_ - now_)))
                    return false;
                return agent_message(in_office(now_ + reply_delay(agent), agent), agent, false);
            }
            return change_status(kOpen, snoozed_until_ + rng_.between(0, 5 * kMin), nullptr);  // snooze expired
        }
        if (!change_status(kPending, now_ + rng_.between(kMin, 30 * kMin), &agent_name(agent))) return false;
        return change_status(kOpen, now_ + rng_.between(30 * kMin, 2 * kDay), &agent_name(agent));
    }

    void post_resolution(int cycle) {
        if (cycle >= 2 || !rng_.permille(120)) return;
        if (!incoming(now_ + sample(rng_, kReopenBands))) return;  // reopens
        if (bot()) bot_phase(cycle + 1); else human_phase(cycle + 1);
    }

    // ---- the conversation row -----------------------------------------------------------------
    void write_conversation(const char* opening) {
        if (!out_) return;
        char uuid[37];
        static const char kHex[] = "0123456789abcdef";
        uint64_t hi = rng_.next(), lo = rng_.next();
        for (int k = 0, bit = 0; k < 36; ++k) {
            if (k == 8 || k == 13 || k == 18 || k == 23) { uuid[k] = '-'; continue; }
            uint64_t& src = bit < 16 ? hi : lo;
            int nibble = static_cast<int>(src & 15);
            src >>= 4;
            if (k == 14) nibble = 4;                   // version 4
            if (k == 19) nibble = 8 | (nibble & 3);    // RFC 4122 variant
            uuid[k] = kHex[nibble];
            ++bit;
        }
        uuid[36] = 0;

        std::string attrs;
        if (kChannels[inbox_->channel].additional) {
            static const char* const kBrowsers[] = {"Chrome", "Firefox", "Safari", "Edge"};
            static const char* const kPlatforms[] = {"macOS", "Windows", "iOS", "Android", "Linux"};
            static const char* const kPages[] = {"/pricing", "/checkout", "/help", "/account", "/"};
            const char* browser = rng_.pick(kBrowsers);
            const char* platform = rng_.pick(kPlatforms);
            const char* page = rng_.pick(kPages);
            attrs = std::string("{\"browser\": {\"browser_name\": \"") + browser + "\", \"platform_name\": \"" +
                    platform + "\"}, \"referer\": \"https://www.example.com" + page + "\"}";
        } else if (inbox_->channel == kChannelEmail) {
            attrs = "{\"mail_subject\": \"";
            append_json_escaped(attrs, opening);
            attrs += "\"}";
        } else {
            attrs = "{}";
        }

        std::string label_list;
        for (int l : labels_) {
            if (!label_list.empty()) label_list += ", ";
            label_list += acct_.labels[static_cast<size_t>(l)].title;
        }
        const int priority_weights[5] = {70, 8, 10, 8, 4};  // none, low, medium, high, urgent
        const int priority = static_cast<int>(rng_.weighted(priority_weights)) - 1;

        Table& c = out_->conversations;
        c.i(id_).i(acct_.id).i(inbox_->id).i(status_).id_or_null(user_id(assignee_)).ts(created_).ts(updated_)
            .i(acct_.contacts[static_cast<size_t>(contact_)].id).i(display_id_).ts_or_null(contact_seen_)
            .ts_or_null(agent_seen_).s(attrs).raw(uuid).ts(last_activity_)
            .id_or_null(team_ >= 0 ? acct_.teams[static_cast<size_t>(team_)].id : 0)
            .ts_or_null(status_ == kSnoozed ? snoozed_until_ : 0).ts_or_null(assignee_ >= 0 ? agent_seen_ : 0)
            .ts_or_null(first_reply_);
        if (priority < 0) c.null(); else c.i(priority);
        c.ts_or_null(waiting_since_);
        if (label_list.empty()) c.null(); else c.s(label_list);
        c.end_row();
    }

    Account& acct_;
    Rng& rng_;
    Ids& ids_;
    TagRegistry* tags_;
    Output* out_;
    SimCounts& counts_;
    const int64_t end_;
    const bool history_;

    const Inbox* inbox_ = nullptr;
    int64_t id_ = 0;
    int display_id_ = 0;
    int contact_ = -1;
    bool alive_ = true;
    int64_t now_ = 0, created_ = 0, updated_ = 0, last_activity_ = 0;
    int status_ = kOpen;
    int assignee_ = -1;  // index into acct_.agents
    int team_ = -1;      // index into acct_.teams
    std::vector<int> labels_;
    int64_t waiting_since_ = 0, first_reply_ = 0, snoozed_until_ = 0;
    int64_t contact_seen_ = 0, agent_seen_ = 0;
    int64_t status_changed_at_ = 0;
    int64_t lnha_open_or_handoff_ = 0, last_bot_resolved_ = 0, last_resolved_ = 0;
    bool handoff_done_ = false, any_user_outgoing_ = false, csat_sent_ = false;
};

}  // namespace

void simulate_conversation(const ConversationEnv& env, int64_t created, int inbox, int display_id) {
    ConversationSim sim(env.acct, env.cfg, env.rng, env.ids, env.tags, env.out, env.counts);
    sim.run(created, inbox, display_id);
}

}  // namespace demo
