-- chatwoot_schema.sql: the Chatwoot tables that Chatwoot's reports (and the support_reports
-- extension) read, with Chatwoot's own table names, column names, types, defaults, NOT NULLs and
-- index names (Rails schema 2025/2026, ActiveRecord 7.1 conventions).
--
-- Purpose: give a standalone database the same shape as a production Chatwoot database, so that
-- the extension runs unchanged on either. It is NOT a complete Chatwoot schema (no channel_*,
-- contact_inboxes, attachments, ... tables) and it omits Chatwoot's triggers (the per-account
-- `conv_dpid_seq_<account_id>` sequences that assign conversations.display_id): whoever loads
-- data here supplies display_id itself, as tools/demo_data does.
--
-- Conventions (Rails):
--   * `id` is serial (Chatwoot's older `id: :serial` tables) or bigserial (newer tables).
--   * every datetime is `timestamp without time zone` holding UTC (Rails sets the session
--     timezone to UTC). Chatwoot's older tables declare `precision: nil` (plain `timestamp`),
--     newer ones `timestamp(6)`; both keep microseconds in PostgreSQL.
--   * enums are plain integers; their meanings are given next to the columns below.
--
-- Plain SQL, idempotent (CREATE ... IF NOT EXISTS), public schema. Every CREATE INDEX statement
-- sits on a single line: scripts/demo-data relies on that to create the tables first and build
-- the indexes after a bulk load.

-- accounts.status: active=0, suspended=1. accounts.locale: en=0, ...
CREATE TABLE IF NOT EXISTS accounts (
    id                    serial PRIMARY KEY,
    name                  character varying NOT NULL,
    created_at            timestamp without time zone NOT NULL,
    updated_at            timestamp without time zone NOT NULL,
    locale                integer DEFAULT 0,
    domain                character varying(100),
    support_email         character varying(100),
    feature_flags         bigint DEFAULT 0 NOT NULL,
    auto_resolve_duration integer,
    limits                jsonb DEFAULT '{}'::jsonb,
    custom_attributes     jsonb DEFAULT '{}'::jsonb,
    status                integer DEFAULT 0,
    internal_attributes   jsonb DEFAULT '{}'::jsonb NOT NULL,
    settings              jsonb DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS index_accounts_on_status ON accounts (status);

-- users.availability: online=0, offline=1, busy=2 (the per-account value lives in account_users).
CREATE TABLE IF NOT EXISTS users (
    id                     serial PRIMARY KEY,
    provider               character varying DEFAULT 'email'::character varying NOT NULL,
    uid                    character varying DEFAULT ''::character varying NOT NULL,
    encrypted_password     character varying DEFAULT ''::character varying NOT NULL,
    reset_password_token   character varying,
    reset_password_sent_at timestamp without time zone,
    remember_created_at    timestamp without time zone,
    sign_in_count          integer DEFAULT 0 NOT NULL,
    current_sign_in_at     timestamp without time zone,
    last_sign_in_at        timestamp without time zone,
    current_sign_in_ip     character varying,
    last_sign_in_ip        character varying,
    confirmation_token     character varying,
    confirmed_at           timestamp without time zone,
    confirmation_sent_at   timestamp without time zone,
    unconfirmed_email      character varying,
    name                   character varying NOT NULL,
    display_name           character varying,
    email                  character varying,
    tokens                 json,
    created_at             timestamp without time zone NOT NULL,
    updated_at             timestamp without time zone NOT NULL,
    pubsub_token           character varying,
    availability           integer DEFAULT 0,
    ui_settings            jsonb DEFAULT '{}'::jsonb,
    custom_attributes      jsonb DEFAULT '{}'::jsonb,
    type                   character varying,
    message_signature      text
);
CREATE INDEX IF NOT EXISTS index_users_on_email ON users (email);
CREATE UNIQUE INDEX IF NOT EXISTS index_users_on_pubsub_token ON users (pubsub_token);
CREATE UNIQUE INDEX IF NOT EXISTS index_users_on_reset_password_token ON users (reset_password_token);
CREATE UNIQUE INDEX IF NOT EXISTS index_users_on_uid_and_provider ON users (uid, provider);

-- account_users.role: agent=0, administrator=1.
-- account_users.availability: online=0, offline=1, busy=2.
CREATE TABLE IF NOT EXISTS account_users (
    id                       bigserial PRIMARY KEY,
    account_id               bigint,
    user_id                  bigint,
    role                     integer DEFAULT 0,
    inviter_id               bigint,
    created_at               timestamp(6) without time zone NOT NULL,
    updated_at               timestamp(6) without time zone NOT NULL,
    active_at                timestamp without time zone,
    availability             integer DEFAULT 0 NOT NULL,
    auto_offline             boolean DEFAULT true NOT NULL,
    custom_role_id           bigint,
    agent_capacity_policy_id bigint
);
CREATE UNIQUE INDEX IF NOT EXISTS uniq_user_id_per_account_id ON account_users (account_id, user_id);
CREATE INDEX IF NOT EXISTS index_account_users_on_account_id ON account_users (account_id);
CREATE INDEX IF NOT EXISTS index_account_users_on_custom_role_id ON account_users (custom_role_id);
CREATE INDEX IF NOT EXISTS index_account_users_on_user_id ON account_users (user_id);

-- custom_roles (enterprise): report access = permissions contains 'report_manage'.
CREATE TABLE IF NOT EXISTS custom_roles (
    id          bigserial PRIMARY KEY,
    name        character varying,
    description character varying,
    account_id  bigint NOT NULL,
    permissions text[] DEFAULT '{}'::text[],
    created_at  timestamp(6) without time zone NOT NULL,
    updated_at  timestamp(6) without time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS index_custom_roles_on_account_id ON custom_roles (account_id);

-- teams.name is lowercased by the model and unique per account.
CREATE TABLE IF NOT EXISTS teams (
    id                bigserial PRIMARY KEY,
    name              character varying NOT NULL,
    description       text,
    allow_auto_assign boolean DEFAULT true,
    account_id        bigint NOT NULL,
    created_at        timestamp(6) without time zone NOT NULL,
    updated_at        timestamp(6) without time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS index_teams_on_account_id ON teams (account_id);
CREATE UNIQUE INDEX IF NOT EXISTS index_teams_on_name_and_account_id ON teams (name, account_id);

CREATE TABLE IF NOT EXISTS team_members (
    id         bigserial PRIMARY KEY,
    team_id    bigint NOT NULL,
    user_id    bigint NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS index_team_members_on_team_id_and_user_id ON team_members (team_id, user_id);
CREATE INDEX IF NOT EXISTS index_team_members_on_team_id ON team_members (team_id);
CREATE INDEX IF NOT EXISTS index_team_members_on_user_id ON team_members (user_id);

-- inboxes.channel_type: 'Channel::WebWidget', 'Channel::Email', 'Channel::Api', 'Channel::Whatsapp',
-- 'Channel::FacebookPage', 'Channel::Telegram', 'Channel::TwilioSms', 'Channel::Sms', 'Channel::Line',
-- 'Channel::Instagram', 'Channel::TwitterProfile', ...
-- inboxes.timezone: an IANA zone name (validated against TZInfo identifiers).
CREATE TABLE IF NOT EXISTS inboxes (
    id                            serial PRIMARY KEY,
    channel_id                    integer NOT NULL,
    account_id                    integer NOT NULL,
    name                          character varying NOT NULL,
    created_at                    timestamp without time zone NOT NULL,
    updated_at                    timestamp without time zone NOT NULL,
    channel_type                  character varying,
    enable_auto_assignment        boolean DEFAULT true,
    greeting_enabled              boolean DEFAULT false,
    greeting_message              character varying,
    email_address                 character varying,
    working_hours_enabled         boolean DEFAULT false,
    out_of_office_message         character varying,
    timezone                      character varying DEFAULT 'UTC'::character varying,
    enable_email_collect          boolean DEFAULT true,
    csat_survey_enabled           boolean DEFAULT false,
    allow_messages_after_resolved boolean DEFAULT true,
    auto_assignment_config        jsonb DEFAULT '{}'::jsonb,
    lock_to_single_conversation   boolean DEFAULT false NOT NULL,
    portal_id                     bigint,
    sender_name_type              integer DEFAULT 0 NOT NULL,
    business_name                 character varying,
    csat_config                   jsonb DEFAULT '{}'::jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS index_inboxes_on_account_id ON inboxes (account_id);
CREATE INDEX IF NOT EXISTS index_inboxes_on_channel_id_and_channel_type ON inboxes (channel_id, channel_type);
CREATE INDEX IF NOT EXISTS index_inboxes_on_portal_id ON inboxes (portal_id);

-- working_hours: 7 rows per inbox. day_of_week 0=Sunday .. 6=Saturday. When not closed_all_day,
-- hours are 0..23, minutes 0..59, open < close; open_all_day rows are saved as 00:00-23:59.
-- Chatwoot's default for a new inbox: Sun & Sat closed_all_day, Mon-Fri 09:00-17:00.
CREATE TABLE IF NOT EXISTS working_hours (
    id             bigserial PRIMARY KEY,
    inbox_id       bigint,
    account_id     bigint,
    day_of_week    integer NOT NULL,
    closed_all_day boolean DEFAULT false,
    open_hour      integer,
    open_minutes   integer,
    close_hour     integer,
    close_minutes  integer,
    created_at     timestamp(6) without time zone NOT NULL,
    updated_at     timestamp(6) without time zone NOT NULL,
    open_all_day   boolean DEFAULT false
);
CREATE INDEX IF NOT EXISTS index_working_hours_on_account_id ON working_hours (account_id);
CREATE INDEX IF NOT EXISTS index_working_hours_on_inbox_id ON working_hours (inbox_id);

-- labels.title is lowercased and unique per account; the model's default scope orders by title.
CREATE TABLE IF NOT EXISTS labels (
    id              bigserial PRIMARY KEY,
    title           character varying,
    description     text,
    color           character varying DEFAULT '#1f93ff'::character varying NOT NULL,
    show_on_sidebar boolean,
    account_id      bigint,
    created_at      timestamp(6) without time zone NOT NULL,
    updated_at      timestamp(6) without time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS index_labels_on_account_id ON labels (account_id);
CREATE UNIQUE INDEX IF NOT EXISTS index_labels_on_title_and_account_id ON labels (title, account_id);

-- tags / taggings (acts-as-taggable-on). tags are GLOBAL (not per account). A conversation's label
-- is a tagging (taggable_type 'Conversation', context 'labels') whose tags.name equals labels.title.
CREATE TABLE IF NOT EXISTS tags (
    id             serial PRIMARY KEY,
    name           character varying,
    taggings_count integer DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS index_tags_on_name ON tags (name);

CREATE TABLE IF NOT EXISTS taggings (
    id            serial PRIMARY KEY,
    tag_id        integer,
    taggable_type character varying,
    taggable_id   integer,
    tagger_type   character varying,
    tagger_id     integer,
    context       character varying(128),
    created_at    timestamp without time zone
);
CREATE INDEX IF NOT EXISTS index_taggings_on_context ON taggings (context);
CREATE UNIQUE INDEX IF NOT EXISTS taggings_idx ON taggings (tag_id, taggable_id, taggable_type, context, tagger_id, tagger_type);
CREATE INDEX IF NOT EXISTS index_taggings_on_tag_id ON taggings (tag_id);
CREATE INDEX IF NOT EXISTS index_taggings_on_taggable_id_and_taggable_type_and_context ON taggings (taggable_id, taggable_type, context);

-- contacts.blocked: conversations of blocked contacts are created resolved.
-- contacts.contact_type: visitor=0, lead=1, customer=2.
CREATE TABLE IF NOT EXISTS contacts (
    id                    serial PRIMARY KEY,
    name                  character varying DEFAULT ''::character varying,
    email                 character varying,
    phone_number          character varying,
    account_id            integer NOT NULL,
    created_at            timestamp without time zone NOT NULL,
    updated_at            timestamp without time zone NOT NULL,
    additional_attributes jsonb DEFAULT '{}'::jsonb,
    identifier            character varying,
    custom_attributes     jsonb DEFAULT '{}'::jsonb,
    last_activity_at      timestamp without time zone,
    contact_type          integer DEFAULT 0,
    middle_name           character varying DEFAULT ''::character varying,
    last_name             character varying DEFAULT ''::character varying,
    location              character varying DEFAULT ''::character varying,
    country_code          character varying DEFAULT ''::character varying,
    blocked               boolean DEFAULT false NOT NULL
);
CREATE INDEX IF NOT EXISTS index_contacts_on_account_id ON contacts (account_id);

-- conversations.status: open=0, resolved=1, pending=2, snoozed=3.
-- conversations.priority: low=0, medium=1, high=2, urgent=3 (NULL = none).
-- display_id is unique per account (Chatwoot assigns it from a per-account sequence by trigger).
-- waiting_since: set on creation and by an incoming message when blank; cleared by a reply and on
-- resolution. first_reply_created_at: time of the first human reply.
CREATE TABLE IF NOT EXISTS conversations (
    id                     serial PRIMARY KEY,
    account_id             integer NOT NULL,
    inbox_id               integer NOT NULL,
    status                 integer DEFAULT 0 NOT NULL,
    assignee_id            integer,
    created_at             timestamp without time zone NOT NULL,
    updated_at             timestamp without time zone NOT NULL,
    contact_id             bigint,
    display_id             integer NOT NULL,
    contact_last_seen_at   timestamp without time zone,
    agent_last_seen_at     timestamp without time zone,
    additional_attributes  jsonb DEFAULT '{}'::jsonb,
    contact_inbox_id       bigint,
    uuid                   uuid DEFAULT gen_random_uuid() NOT NULL,
    identifier             character varying,
    last_activity_at       timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    team_id                bigint,
    campaign_id            bigint,
    snoozed_until          timestamp without time zone,
    custom_attributes      jsonb DEFAULT '{}'::jsonb,
    assignee_last_seen_at  timestamp without time zone,
    first_reply_created_at timestamp without time zone,
    priority               integer,
    sla_policy_id          bigint,
    waiting_since          timestamp(6) without time zone,
    cached_label_list      text,
    assignee_agent_bot_id  bigint
);
CREATE UNIQUE INDEX IF NOT EXISTS index_conversations_on_account_id_and_display_id ON conversations (account_id, display_id);
CREATE INDEX IF NOT EXISTS index_conversations_on_account_id ON conversations (account_id);
CREATE INDEX IF NOT EXISTS conv_acid_inbid_stat_asgnid_idx ON conversations (account_id, inbox_id, status, assignee_id);
CREATE INDEX IF NOT EXISTS index_conversations_on_assignee_id_and_account_id ON conversations (assignee_id, account_id);
CREATE INDEX IF NOT EXISTS index_conversations_on_contact_id ON conversations (contact_id);
CREATE INDEX IF NOT EXISTS index_conversations_on_inbox_id ON conversations (inbox_id);
CREATE INDEX IF NOT EXISTS index_conversations_on_status_and_account_id ON conversations (status, account_id);
CREATE INDEX IF NOT EXISTS index_conversations_on_team_id ON conversations (team_id);
CREATE UNIQUE INDEX IF NOT EXISTS index_conversations_on_uuid ON conversations (uuid);

-- messages.message_type: incoming=0, outgoing=1, activity=2, template=3.
-- messages.content_type: text=0, input_text=1, input_textarea=2, input_email=3, input_select=4,
--   cards=5, form=6, article=7, incoming_email=8, input_csat=9 (the CSAT survey, sent as a
--   template message), integrations=10, sticker=11, voice_call=12.
-- messages.status: sent=0, delivered=1, read=2, failed=3.
-- messages.sender_type: 'Contact', 'User', 'AgentBot', 'Captain::Assistant', or NULL (system).
-- Outgoing messages with private=true are private notes.
CREATE TABLE IF NOT EXISTS messages (
    id                        serial PRIMARY KEY,
    content                   text,
    account_id                integer NOT NULL,
    inbox_id                  integer NOT NULL,
    conversation_id           integer NOT NULL,
    message_type              integer NOT NULL,
    created_at                timestamp without time zone NOT NULL,
    updated_at                timestamp without time zone NOT NULL,
    private                   boolean DEFAULT false NOT NULL,
    status                    integer DEFAULT 0,
    source_id                 text,
    content_type              integer DEFAULT 0 NOT NULL,
    content_attributes        json DEFAULT '{}'::json,
    sender_type               character varying,
    sender_id                 bigint,
    external_source_ids       jsonb DEFAULT '{}'::jsonb,
    additional_attributes     jsonb DEFAULT '{}'::jsonb,
    processed_message_content text,
    sentiment                 jsonb DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS idx_messages_account_content_created ON messages (account_id, content_type, created_at);
CREATE INDEX IF NOT EXISTS index_messages_on_account_created_type ON messages (account_id, created_at, message_type);
CREATE INDEX IF NOT EXISTS index_messages_on_account_id ON messages (account_id);
CREATE INDEX IF NOT EXISTS index_messages_on_account_id_and_inbox_id ON messages (account_id, inbox_id);
CREATE INDEX IF NOT EXISTS index_messages_on_conversation_id ON messages (conversation_id);
CREATE INDEX IF NOT EXISTS index_messages_on_created_at ON messages (created_at);
CREATE INDEX IF NOT EXISTS index_messages_on_inbox_id ON messages (inbox_id);
CREATE INDEX IF NOT EXISTS index_messages_on_sender_type_and_sender_id ON messages (sender_type, sender_id);

-- reporting_events.name: conversation_resolved, conversation_bot_resolved, first_response,
-- reply_time, conversation_bot_handoff, conversation_opened. value / value_in_business_hours are
-- seconds; created_at is the insertion time (reports filter and bucket on it).
CREATE TABLE IF NOT EXISTS reporting_events (
    id                      bigserial PRIMARY KEY,
    name                    character varying,
    value                   double precision,
    account_id              integer,
    inbox_id                integer,
    user_id                 integer,
    conversation_id         integer,
    created_at              timestamp(6) without time zone NOT NULL,
    updated_at              timestamp(6) without time zone NOT NULL,
    value_in_business_hours double precision,
    event_start_time        timestamp without time zone,
    event_end_time          timestamp without time zone
);
CREATE INDEX IF NOT EXISTS reporting_events__account_id__name__created_at ON reporting_events (account_id, name, created_at);
CREATE INDEX IF NOT EXISTS index_reporting_events_for_response_distribution ON reporting_events (account_id, name, inbox_id, created_at);
CREATE INDEX IF NOT EXISTS index_reporting_events_on_account_id ON reporting_events (account_id);
CREATE INDEX IF NOT EXISTS index_reporting_events_on_conversation_id ON reporting_events (conversation_id);
CREATE INDEX IF NOT EXISTS index_reporting_events_on_created_at ON reporting_events (created_at);
CREATE INDEX IF NOT EXISTS index_reporting_events_on_inbox_id ON reporting_events (inbox_id);
CREATE INDEX IF NOT EXISTS index_reporting_events_on_name ON reporting_events (name);
CREATE INDEX IF NOT EXISTS index_reporting_events_on_user_id ON reporting_events (user_id);

-- csat_survey_responses.rating: 1..5. message_id is the survey message (content_type input_csat=9).
-- assigned_agent_id: the conversation's assignee when the response was recorded.
CREATE TABLE IF NOT EXISTS csat_survey_responses (
    id                         bigserial PRIMARY KEY,
    account_id                 bigint NOT NULL,
    conversation_id            bigint NOT NULL,
    message_id                 bigint NOT NULL,
    rating                     integer NOT NULL,
    feedback_message           text,
    contact_id                 bigint NOT NULL,
    assigned_agent_id          bigint,
    created_at                 timestamp(6) without time zone NOT NULL,
    updated_at                 timestamp(6) without time zone NOT NULL,
    csat_review_notes          text,
    review_notes_updated_at    timestamp(6) without time zone,
    review_notes_updated_by_id bigint
);
CREATE INDEX IF NOT EXISTS index_csat_survey_responses_on_account_id ON csat_survey_responses (account_id);
CREATE INDEX IF NOT EXISTS index_csat_survey_responses_on_assigned_agent_id ON csat_survey_responses (assigned_agent_id);
CREATE INDEX IF NOT EXISTS index_csat_survey_responses_on_contact_id ON csat_survey_responses (contact_id);
CREATE INDEX IF NOT EXISTS index_csat_survey_responses_on_conversation_id ON csat_survey_responses (conversation_id);
CREATE UNIQUE INDEX IF NOT EXISTS index_csat_survey_responses_on_message_id ON csat_survey_responses (message_id);

-- access_tokens.owner_type: 'User', 'AgentBot', 'PlatformApp'. The API header api_access_token
-- carries `token`.
CREATE TABLE IF NOT EXISTS access_tokens (
    id         bigserial PRIMARY KEY,
    owner_type character varying,
    owner_id   bigint,
    token      character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS index_access_tokens_on_owner_type_and_owner_id ON access_tokens (owner_type, owner_id);
CREATE UNIQUE INDEX IF NOT EXISTS index_access_tokens_on_token ON access_tokens (token);

-- agent_bots.bot_type: webhook=0. account_id NULL = a global (system) bot.
CREATE TABLE IF NOT EXISTS agent_bots (
    id           bigserial PRIMARY KEY,
    name         character varying,
    description  character varying,
    outgoing_url character varying,
    created_at   timestamp(6) without time zone NOT NULL,
    updated_at   timestamp(6) without time zone NOT NULL,
    account_id   bigint,
    bot_type     integer DEFAULT 0,
    bot_config   jsonb DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS index_agent_bots_on_account_id ON agent_bots (account_id);

-- agent_bot_inboxes.status: active=0, inactive=1. An inbox is a bot inbox (inbox.active_bot?) when
-- it has an active agent_bot_inboxes row, or an enabled 'dialogflow' integrations_hooks row.
CREATE TABLE IF NOT EXISTS agent_bot_inboxes (
    id           bigserial PRIMARY KEY,
    inbox_id     integer,
    agent_bot_id integer,
    status       integer DEFAULT 0,
    created_at   timestamp(6) without time zone NOT NULL,
    updated_at   timestamp(6) without time zone NOT NULL,
    account_id   integer
);

-- integrations_hooks.status: disabled=0, enabled=1. hook_type: account=0, inbox=1.
-- app_id: 'dialogflow', 'slack', 'webhook', ...
CREATE TABLE IF NOT EXISTS integrations_hooks (
    id           bigserial PRIMARY KEY,
    status       integer DEFAULT 1,
    inbox_id     integer,
    account_id   integer,
    app_id       character varying,
    hook_type    integer DEFAULT 0,
    reference_id character varying,
    access_token character varying,
    created_at   timestamp(6) without time zone NOT NULL,
    updated_at   timestamp(6) without time zone NOT NULL,
    settings     jsonb DEFAULT '{}'::jsonb
);

-- SLA (Chatwoot enterprise). sla_policies thresholds are seconds (float; NULL = not enforced).
CREATE TABLE IF NOT EXISTS sla_policies (
    id                            bigserial PRIMARY KEY,
    name                          character varying NOT NULL,
    first_response_time_threshold double precision,
    next_response_time_threshold  double precision,
    only_during_business_hours    boolean DEFAULT false,
    account_id                    bigint NOT NULL,
    created_at                    timestamp(6) without time zone NOT NULL,
    updated_at                    timestamp(6) without time zone NOT NULL,
    description                   character varying,
    resolution_time_threshold     double precision
);
CREATE INDEX IF NOT EXISTS index_sla_policies_on_account_id ON sla_policies (account_id);

-- applied_slas.sla_status: active=0, hit=1, missed=2, active_with_misses=3 (missed = 2 or 3).
-- Created when conversations.sla_policy_id is first set; one per conversation and policy.
CREATE TABLE IF NOT EXISTS applied_slas (
    id              bigserial PRIMARY KEY,
    account_id      bigint NOT NULL,
    sla_policy_id   bigint NOT NULL,
    conversation_id bigint NOT NULL,
    created_at      timestamp(6) without time zone NOT NULL,
    updated_at      timestamp(6) without time zone NOT NULL,
    sla_status      integer DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS index_applied_slas_on_account_sla_policy_conversation ON applied_slas (account_id, sla_policy_id, conversation_id);
CREATE INDEX IF NOT EXISTS index_applied_slas_on_account_id ON applied_slas (account_id);
CREATE INDEX IF NOT EXISTS index_applied_slas_on_conversation_id ON applied_slas (conversation_id);
CREATE INDEX IF NOT EXISTS index_applied_slas_on_sla_policy_id ON applied_slas (sla_policy_id);

-- sla_events: one row per breach. event_type: frt=0, nrt=1, rt=2. meta: {"message_id": <the last
-- incoming message>} for nrt, {} otherwise.
CREATE TABLE IF NOT EXISTS sla_events (
    id              bigserial PRIMARY KEY,
    applied_sla_id  bigint NOT NULL,
    conversation_id bigint NOT NULL,
    account_id      bigint NOT NULL,
    sla_policy_id   bigint NOT NULL,
    inbox_id        bigint NOT NULL,
    event_type      integer,
    meta            jsonb DEFAULT '{}'::jsonb,
    created_at      timestamp(6) without time zone NOT NULL,
    updated_at      timestamp(6) without time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS index_sla_events_on_account_id ON sla_events (account_id);
CREATE INDEX IF NOT EXISTS index_sla_events_on_applied_sla_id ON sla_events (applied_sla_id);
CREATE INDEX IF NOT EXISTS index_sla_events_on_conversation_id ON sla_events (conversation_id);
CREATE INDEX IF NOT EXISTS index_sla_events_on_inbox_id ON sla_events (inbox_id);
CREATE INDEX IF NOT EXISTS index_sla_events_on_sla_policy_id ON sla_events (sla_policy_id);
