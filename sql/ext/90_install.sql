-- Indexes the reports want and Chatwoot's schema lacks. Chatwoot indexes conversations by account
-- but not by creation time, so every date-range read of an account's conversations (the raw
-- edges of every report, conversations_count from raw rows) scans all of them.
CREATE FUNCTION reports.recommended_indexes()
RETURNS TABLE (index_name text, table_name text, installed bool, statement text)
LANGUAGE sql STABLE AS $$
    SELECT v.name, v.tab, to_regclass('public.' || v.name) IS NOT NULL,
           format('CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON public.%I %s', v.name, v.tab, v.cols)
    FROM (VALUES ('reports_conversations_account_created', 'conversations', '(account_id, created_at)')) v(name, tab, cols)
    WHERE to_regclass('public.' || v.tab) IS NOT NULL
$$;
COMMENT ON FUNCTION reports.recommended_indexes() IS
'Indexes the reports read faster with, whether each exists, and the CREATE INDEX CONCURRENTLY statement for it (run them from psql with \gexec; see the README).';

-- Builds the missing recommended indexes in this transaction (plain CREATE INDEX: writes to the
-- table wait until it is built). On a busy Chatwoot database prefer the CONCURRENTLY statements
-- of reports.recommended_indexes(), which cannot run inside a function. Returns what it built.
CREATE FUNCTION reports.install_recommended_indexes()
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM reports.recommended_indexes() WHERE NOT installed LOOP
        RAISE NOTICE 'install_recommended_indexes: building % on %', r.index_name, r.table_name;
        EXECUTE replace(r.statement, 'CREATE INDEX CONCURRENTLY', 'CREATE INDEX');
        RETURN NEXT r.index_name;
    END LOOP;
END
$$;
COMMENT ON FUNCTION reports.install_recommended_indexes() IS
'Creates the missing indexes of reports.recommended_indexes() (blocking writes to their tables while they build) and returns their names.';

-- Last step of CREATE EXTENSION: the triggers on Chatwoot's tables (when they exist already; call
-- reports.install_triggers() again after creating them later) and on the extension's own tables.
SELECT reports.install_triggers();
-- the agent-message counts of the messages already there (one pass; the trigger keeps them after)
SELECT reports.rebuild_agent_messages();
