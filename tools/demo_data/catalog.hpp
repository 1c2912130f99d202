// Fixed word lists the generator draws names and message texts from.
//
// A few entries deliberately contain non-ASCII text, quotes, tabs, backslashes and newlines so
// that every consumer (COPY loading, JSON and CSV rendering) is exercised on them.
#pragma once

namespace demo::catalog {

inline const char* const kFirstNames[] = {
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Lucas", "Mia", "Ethan",
    "Aarav", "Priya", "Hiro", "Yuki", "Chloé", "José", "Zoë", "Björn", "Aïsha", "Chen",
    "Fatima", "Omar", "Ines", "Lars", "Nadia", "Kofi", "Amara", "Diego", "Sara", "Tomás",
    "Grace", "Arjun", "Léa", "Jonas", "Maya", "Ivan", "Elif", "Kai", "Nora", "Rahul",
};

inline const char* const kLastNames[] = {
    "Smith", "García", "Müller", "Nguyen", "Kowalski", "O'Brien", "Silva", "Tanaka", "Patel",
    "Johansson", "Rossi", "Dubois", "Kim", "Ivanova", "Haddad", "Okafor", "Fernández", "Novak",
    "Schmidt", "Andersen", "Costa", "Yilmaz", "Singh", "Larsen", "Moreau", "Li", "Brown",
    "Wilson", "Ahmed", "Sato", "de la Cruz", "van Dijk",
};

inline const char* const kCompanyA[] = {
    "Blue", "North", "Bright", "Silver", "Rapid", "Green", "Urban", "Summit", "Coastal", "Golden",
    "Atlas", "Nimbus", "Cedar", "Polar", "Crimson", "Harbor",
};
inline const char* const kCompanyB[] = {
    "Outfitters", "Labs", "Logistics", "Bank", "Telecom", "Health", "Travel", "Foods", "Software",
    "Energy", "Insurance", "Motors", "Studios", "Retail", "Academy", "Games",
};

inline const char* const kTeamNames[] = {
    "support", "sales", "billing", "onboarding", "escalations", "technical", "vip care", "returns",
};

// Label titles are lowercased like Chatwoot's; they double as the global tags' names.
inline const char* const kLabelTitles[] = {
    "billing", "bug", "feature-request", "refund", "vip", "urgent", "onboarding", "shipping",
    "account", "feedback", "sales-lead", "technical", "cancellation", "integration", "security",
};
inline const char* const kLabelColors[] = {
    "#1f93ff", "#ff6b6b", "#34c759", "#ff9f0a", "#af52de", "#5ac8fa", "#ffcc00", "#8e8e93",
};

inline const char* const kOpeningMessages[] = {
    "Hi, I need help with my order",
    "My payment failed twice, can you check?",
    "How do I reset my password?",
    "Is there a discount for annual plans?",
    "The app crashes when I upload a file",
    "Can I change my shipping address?",
    "I was charged twice this month",
    "Where is my refund?",
    "Do you ship to Canada?",
    "Can I talk to a human please",
    "Bonjour, ma commande n'est pas arrivée",
    "Hola, ¿pueden ayudarme con mi factura?",
    "注文の状況を教えてください",
    "The export says \"error 42\" — what does that mean?",
    "Logs attached:\n\tC:\\Users\\demo\\app.log",
};
inline const char* const kFollowUps[] = {
    "Thanks!", "Ok, that worked 🎉", "Still not working", "Could you send me the invoice?",
    "Any update on this?", "Hello? Anyone there?", "Great, thank you so much", "One more question...",
    "I tried that already", "Here is a screenshot",
};
inline const char* const kAgentReplies[] = {
    "Thanks for reaching out! Let me check that for you.",
    "I've refunded the duplicate charge, it should show in 3-5 days.",
    "Could you share your order number?",
    "I've escalated this to our engineering team.",
    "You can reset it from Settings → Security.",
    "Happy to help! Is there anything else?",
    "That's fixed now, please try again.",
    "Sorry for the wait — we're looking into it.",
};
inline const char* const kBotReplies[] = {
    "Hi! I'm the virtual assistant. How can I help?",
    "Here's an article that might help: https://help.example.com/articles/42",
    "Did that answer your question?",
    "I can help with orders, billing and passwords.",
};
inline const char* const kPrivateNotes[] = {
    "Customer is on the enterprise plan",
    "Escalating to billing",
    "Known bug, see JIRA-1234",
    "Checked logs:\n\tno errors on our side",
};
inline const char* const kCsatFeedback[] = {
    "Quick and friendly, thanks!",
    "Solved my problem in minutes",
    "Took too long to get an answer",
    "The agent didn't understand my issue",
    "Great help,\nthanks!",
    "Muy buena atención",
    "OK I guess",
};

// Channel types with Chatwoot's class names; weights are the usual mix of a support desk.
struct ChannelKind {
    const char* type;
    const char* inbox_name;
    int weight;
    bool botable;      // channels where an agent bot typically answers first
    bool additional;   // conversations carry browser/referer attributes
};
inline const ChannelKind kChannels[] = {
    {"Channel::WebWidget", "Website Live Chat", 30, true, true},
    {"Channel::Email", "Support Email", 22, false, false},
    {"Channel::Whatsapp", "WhatsApp", 16, true, false},
    {"Channel::Api", "Mobile App (API)", 10, true, false},
    {"Channel::FacebookPage", "Facebook Page", 8, true, false},
    {"Channel::Telegram", "Telegram", 5, true, false},
    {"Channel::TwilioSms", "SMS", 4, false, false},
    {"Channel::Instagram", "Instagram", 3, true, false},
    {"Channel::Line", "LINE", 2, true, false},
};
constexpr int kChannelWebWidget = 0;
constexpr int kChannelEmail = 1;
constexpr int kChannelWhatsapp = 2;

}  // namespace demo::catalog
