// One conversation's life cycle (see conversation_sim.cpp).
#pragma once

#include "model.hpp"
#include "rng.hpp"

#include <cstdint>

namespace demo {

// Everything a conversation reads and writes. out == nullptr: dry run (nothing written).
struct ConversationEnv {
    Account& acct;
    const Config& cfg;
    Rng& rng;
    Ids& ids;
    TagRegistry* tags;
    Output* out;
    SimCounts& counts;
};

// Plays one conversation created at `created` (microseconds) in acct.inboxes[inbox] forward to
// the end of the window, writing its conversation, messages, events, taggings and CSAT rows.
void simulate_conversation(const ConversationEnv& env, int64_t created, int inbox, int display_id);

}  // namespace demo
