-- 0.2.0 -> 0.3.0.
--
-- The rollup is emptied: bot_resolutions_count now leaves out the conversations handed off to a
-- human in the report's range (upstream #14032), so its rows keep the times of the handoffs around
-- them; distinct conversations are counted from previous-row times; the averages' rows carry
-- quantile sketches (v_sketch, b_sketch) for the median and p90 metrics.
-- reports.refresh_rollup() (or reports-server's refresher) rebuilds it; until then reports read raw
-- rows, with the same answers.
TRUNCATE reports_internal.rollup_dirty;
UPDATE reports.rollup_state SET covered_until = '-infinity', refreshed_at = NULL;
-- The rollup's rows changed shape (distinct conversations as previous-row times, not id sets):
-- the table is made again as a fresh install makes it.
DROP TABLE reports_internal.rollup;
CREATE TABLE reports_internal.rollup (
    account_id  int       NOT NULL,
    grain       "char"    NOT NULL,
    hour        timestamp NOT NULL,
    dim         "char"    NOT NULL,
    key         text      NOT NULL,
    metric      text      NOT NULL,
    n           bigint    NOT NULL,
    v_n         bigint    NOT NULL,
    v_sum       numeric   NOT NULL,
    b_n         bigint    NOT NULL,
    b_sum       numeric   NOT NULL,
    v_sketch    bytea,
    b_sketch    bytea,
    dup_prev    timestamp[],
    x_prev      timestamp[],
    x_next      timestamp[],
    PRIMARY KEY (account_id, dim, key, grain, hour, metric)
);
CREATE INDEX rollup_account_dim_grain_hour ON reports_internal.rollup (account_id, dim, grain, hour);

-- Public agent messages per conversation (one-touch resolution). Filled by the code below:
-- the install's SELECT reports.rebuild_agent_messages() runs in the update too.
CREATE TABLE reports.conversation_agent_messages (
    conversation_id int    PRIMARY KEY,
    account_id      int    NOT NULL,
    messages        bigint NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('reports.conversation_agent_messages', '');

-- Functions whose result columns grew (the quantile, reopen and one-touch columns; the parts'
-- sketches): a row type cannot change in place. A user's view on one of the reports stops the
-- update here, naming the view; drop it, update, create it again. (IF EXISTS: an update from 0.1.0
-- has dropped the entity reports already, and never had the internal ones.)
DROP FUNCTION IF EXISTS reports.summary(int, timestamptz, timestamptz, text, int, bool);
DROP FUNCTION IF EXISTS reports.agent_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION IF EXISTS reports.inbox_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION IF EXISTS reports.team_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION IF EXISTS reports.label_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION IF EXISTS reports_internal.dimension_metrics(int, text, timestamptz, timestamptz, bool);
DROP FUNCTION IF EXISTS reports_internal.compute_parts(int, timestamp[], timestamp[], "char"[], text, text[], text, text);
DROP FUNCTION IF EXISTS reports_internal.parts(int, timestamp, timestamp, "char", text, text[], text, text);
