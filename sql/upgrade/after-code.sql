-- Run by every update script after the code of the new version: drops the functions, aggregates
-- and triggers that the new version no longer defines.
--
-- The code has just re-created everything it defines (CREATE OR REPLACE keeps a function's oid,
-- and so whatever depends on it); each such catalog row now carries this transaction's xid as its
-- xmin, as does the row of pg_extension that ALTER EXTENSION updated before running this script.
-- A member of the extension with any other xmin belongs to an older version only. No CASCADE: a
-- user's view that still calls such a function stops the update with Postgres's message naming it.
-- (Nothing is reported as it goes: Postgres runs extension scripts at client_min_messages = warning.)
DO $$
DECLARE
    ext  oid;
    me   xid;
    r    record;
BEGIN
    SELECT e.oid, e.xmin INTO ext, me FROM pg_catalog.pg_extension e WHERE e.extname = 'support_reports';
    -- Triggers (on Chatwoot's tables or ours) that call a function of the extension.
    FOR r IN
        SELECT t.tgname, t.tgrelid::regclass AS rel
        FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = t.tgfoid
                                   AND d.refclassid = 'pg_catalog.pg_extension'::regclass
                                   AND d.refobjid = ext AND d.deptype = 'e'
        WHERE NOT t.tgisinternal AND t.xmin <> me
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP;
    -- Aggregates before the functions they are built on.
    FOR r IN
        SELECT p.oid::regprocedure AS fn, p.prokind
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
                                   AND d.refclassid = 'pg_catalog.pg_extension'::regclass
                                   AND d.refobjid = ext AND d.deptype = 'e'
        WHERE p.xmin <> me
        ORDER BY p.prokind <> 'a', p.oid
    LOOP
        EXECUTE format('DROP %s %s', CASE r.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.fn);
    END LOOP;
END
$$;
