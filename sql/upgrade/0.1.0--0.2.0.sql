-- 0.1.0 -> 0.2.0: the helpers move to schema reports_internal (the code re-creates them there and
-- after-code.sql drops the old copies in schema reports); the account-only hourly rollup becomes
-- the rollup of every dimension, grain and metric.
--
-- Kept as they are: reports.conversation_status_changes and reports.event_waits (history that
-- Chatwoot's tables cannot give back), reports.rollup_state (reset below).

CREATE SCHEMA reports_internal;

-- The old rollup holds the account's totals of each hour only, which the new one cannot be derived
-- from. It is derived data: the new rollup starts empty and reports.refresh_rollup() (or the
-- reports-server refresher) rebuilds it; until then every report reads raw rows, with the same
-- answers.
-- (compute_rollup returns its row type, so it goes first.)
DROP FUNCTION reports.compute_rollup(timestamp, timestamp, int[], timestamp[]);
DROP TABLE reports.hourly_rollup;
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
    ids         int[],
    PRIMARY KEY (account_id, dim, key, grain, hour, metric)
);
CREATE INDEX rollup_account_dim_grain_hour ON reports_internal.rollup (account_id, dim, grain, hour);
UPDATE reports.rollup_state SET covered_until = '-infinity', refreshed_at = NULL;
-- The marks refer to the old rollup's hours; the table (with its sequence and index) moves.
ALTER TABLE reports.rollup_dirty SET SCHEMA reports_internal;
TRUNCATE reports_internal.rollup_dirty;

-- Reports whose rows gained the seed's columns (incoming/outgoing messages, resolutions; CSAT's
-- response counts): a function's row type cannot change in place. A user's view on one of them
-- stops the update here, naming the view; drop it, update, and create it again.
DROP FUNCTION reports.agent_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION reports.inbox_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION reports.team_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION reports.label_report(int, timestamptz, timestamptz, bool);
DROP FUNCTION reports.csat_by_agent(int, timestamptz, timestamptz, int[], int, int, int[]);
