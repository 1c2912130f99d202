-- Everything the extension defines, one line per fact, in a stable order: two databases with the
-- same output have the same extension catalog (tests/upgrade/run diffs an updated database against
-- a fresh install). Oids, xmins and sequence positions are left out; everything else is in.
\pset format unaligned
\pset tuples_only on
\pset footer off
SET search_path = pg_catalog;
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'support_reports'),
member AS (
    SELECT d.classid, d.objid FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
),
facts(line) AS (
    -- every member, by description (schemas, functions, aggregates, tables, sequences, views, types)
    SELECT 'member ' || pg_describe_object(classid, objid, 0) FROM member
    UNION ALL
    -- functions and procedures: the whole CREATE statement (body, volatility, strictness,
    -- parallel safety, settings), their privileges and comment
    SELECT 'function ' || p.oid::regprocedure || E'\n' || pg_get_functiondef(p.oid)
           || E'\nacl ' || coalesce(p.proacl::text, '-') || E'\ncomment ' || coalesce(obj_description(p.oid, 'pg_proc'), '-')
    FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid AND p.prokind <> 'a'
    UNION ALL
    SELECT 'aggregate ' || p.oid::regprocedure || ' sfunc=' || a.aggtransfn::regprocedure || ' stype=' || format_type(a.aggtranstype, NULL)
           || ' combine=' || a.aggcombinefn::text || ' final=' || a.aggfinalfn::text || ' serial=' || a.aggserialfn::text
           || ' deserial=' || a.aggdeserialfn::text || ' init=' || coalesce(a.agginitval, '-') || ' kind=' || a.aggkind::text
           || ' finalmodify=' || a.aggfinalmodify::text || ' parallel=' || p.proparallel::text || ' strict=' || p.proisstrict
           || ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '-')
    FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid AND p.prokind = 'a'
    JOIN pg_aggregate a ON a.aggfnoid = p.oid
    UNION ALL
    -- tables, views, sequences, composite types: columns in order, with types, defaults, not-null
    SELECT 'column ' || c.oid::regclass || ' #' || a.attnum || ' ' || quote_ident(a.attname) || ' '
           || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || coalesce(' comment ' || col_description(c.oid, a.attnum), '')
    FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    UNION ALL
    SELECT 'column ' || t.oid::regtype || ' #' || a.attnum || ' ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
    FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' kind=' || c.relkind::text || ' persistence=' || c.relpersistence::text
           || ' acl=' || coalesce(c.relacl::text, '-') || ' options=' || coalesce(c.reloptions::text, '-')
           || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '-')
    FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT 'view ' || c.oid::regclass || E'\n' || pg_get_viewdef(c.oid)
    FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid AND c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'sequence ' || s.seqrelid::regclass || ' ' || format_type(s.seqtypid, NULL) || ' start=' || s.seqstart
           || ' inc=' || s.seqincrement || ' min=' || s.seqmin || ' max=' || s.seqmax || ' cache=' || s.seqcache || ' cycle=' || s.seqcycle
           || ' owned_by=' || coalesce((SELECT d.refobjid::regclass || '.' || d.refobjsubid FROM pg_depend d
                                        WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                                          AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'), '-')
    FROM member m JOIN pg_sequence s ON m.classid = 'pg_class'::regclass AND s.seqrelid = m.objid
    UNION ALL
    -- constraints and indexes of the extension's tables, by name and definition
    SELECT 'constraint ' || co.conrelid::regclass || ' ' || quote_ident(co.conname) || ' ' || pg_get_constraintdef(co.oid)
    FROM member m JOIN pg_constraint co ON m.classid = 'pg_class'::regclass AND co.conrelid = m.objid
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
    FROM member m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
    UNION ALL
    -- triggers anywhere (Chatwoot's tables too) that call one of the extension's functions
    SELECT 'trigger ' || t.tgrelid::regclass || ' ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
    FROM pg_trigger t JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = t.tgfoid
    WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'schema ' || n.nspname || ' acl=' || coalesce(n.nspacl::text, '-') || ' comment=' || coalesce(obj_description(n.oid, 'pg_namespace'), '-')
    FROM member m JOIN pg_namespace n ON m.classid = 'pg_namespace'::regclass AND n.oid = m.objid
    UNION ALL
    -- what pg_dump keeps of the configuration tables
    SELECT 'config ' || cfg::regclass || ' where=' || coalesce(cond, '')
    FROM pg_extension e, ext, unnest(e.extconfig, e.extcondition) AS u(cfg, cond) WHERE e.oid = ext.oid
    UNION ALL
    SELECT 'extension ' || extname || ' ' || extversion || ' schema=' || extnamespace::regnamespace || ' relocatable=' || extrelocatable
    FROM pg_extension e, ext WHERE e.oid = ext.oid
)
SELECT line FROM facts ORDER BY line COLLATE "C";
