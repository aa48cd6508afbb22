/**
 * The catalog queries behind PostgreSQL introspection. Each one covers every table of the
 * included schemas at once, so the number of round trips never grows with the schema.
 *
 * Parameters: $1 = included schema names as a JSON array, $2 = excluded table names as a JSON
 * array. JSON text keeps the parameters plain strings, which every driver binds the same way.
 * Every numeric value is cast to text, because drivers disagree on how they return int8.
 */

const inSchemas = (column: string) => `${column} IN (SELECT json_array_elements_text($1::json))`;
const notExcluded = (column: string) => `${column} NOT IN (SELECT json_array_elements_text($2::json))`;

/** Objects that an extension created belong to the extension, not to the user's schema. */
const notFromExtension = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = '${catalog}'::regclass AND xd.objid = ${oid} AND xd.deptype = 'e')`;

/** Ordinary and partitioned tables of the included schemas, minus partitions and excluded names. */
const tableFilter = `c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${inSchemas("n.nspname")}
  AND ${notExcluded("c.relname")} AND ${notFromExtension("pg_class", "c.oid")}`;

export const currentSchemasQuery = `SELECT to_json(current_schemas(false)) AS schemas`;

export const extensionsQuery = `
SELECT e.extname AS name, n.nspname AS schema
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname`;

export const enumsQuery = `
SELECT n.nspname AS schema, t.typname AS name, json_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE ${inSchemas("n.nspname")} AND ${notFromExtension("pg_type", "t.oid")}
GROUP BY n.nspname, t.typname
ORDER BY n.nspname, t.typname`;

/**
 * Sequences the user created. Identity sequences and serial sequences (owned by a column whose
 * default calls them) are part of their column, so they are left out.
 */
export const sequencesQuery = `
SELECT n.nspname AS schema, c.relname AS name, s.seqstart::text AS start, s.seqincrement::text AS increment,
  s.seqmin::text AS min_value, s.seqmax::text AS max_value, s.seqcycle AS cycle,
  format_type(s.seqtypid, NULL) AS data_type,
  (SELECT tc.relname || '.' || a.attname
     FROM pg_catalog.pg_depend d
     JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
     JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a'
      AND d.refclassid = 'pg_class'::regclass
    LIMIT 1) AS owned_by
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ${inSchemas("n.nspname")} AND ${notExcluded("c.relname")}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('i', 'e'))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend own
                   JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = own.refobjid AND ad.adnum = own.refobjsubid
                   JOIN pg_catalog.pg_depend used ON used.classid = 'pg_attrdef'::regclass
                        AND used.objid = ad.oid AND used.refobjid = c.oid
                   WHERE own.classid = 'pg_class'::regclass AND own.objid = c.oid AND own.deptype = 'a')
ORDER BY n.nspname, c.relname`;

export const tablesQuery = `
SELECT n.nspname AS schema, c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ${tableFilter}
ORDER BY n.nspname, c.relname`;

/** Joins rather than per-column function calls: PGlite (WebAssembly) pays dearly for each lookup. */
export const columnsQuery = `
SELECT n.nspname AS schema, c.relname AS table_name, a.attname AS name,
  format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null,
  CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,
  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated_expr,
  a.attidentity AS identity, s.seqstart::text AS identity_start, s.seqincrement::text AS identity_increment,
  co.collname AS collation, d.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
LEFT JOIN pg_catalog.pg_depend dep ON a.attidentity <> '' AND dep.classid = 'pg_class'::regclass
     AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i'
LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE ${tableFilter}
ORDER BY n.nspname, c.relname, a.attnum`;

/** Primary keys, unique, foreign-key, check and exclusion constraints (not the NOT NULL ones of PostgreSQL 18). */
export const constraintsQuery = `
SELECT n.nspname AS schema, c.relname AS table_name, con.conname AS name, con.contype AS type,
  (SELECT json_agg(a.attname ORDER BY k.ord)
     FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
  rn.nspname AS ref_schema, rc.relname AS ref_table,
  (SELECT json_agg(a.attname ORDER BY k.ord)
     FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns,
  con.confdeltype AS on_delete, con.confupdtype AS on_update,
  con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated,
  CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END AS expression,
  CASE WHEN con.contype = 'u' THEN (to_jsonb(i) ->> 'indnullsnotdistinct')::boolean END AS nulls_not_distinct,
  CASE WHEN con.contype = 'x' THEN am.amname END AS method,
  CASE WHEN con.contype = 'x' THEN
    (SELECT json_agg(json_build_object('expression', pg_get_indexdef(con.conindid, k.ord::int, true), 'operator', o.oprname) ORDER BY k.ord)
       FROM unnest(con.conexclop) WITH ORDINALITY AS k(opoid, ord)
       JOIN pg_catalog.pg_operator o ON o.oid = k.opoid) END AS elements,
  CASE WHEN con.contype = 'x' THEN pg_get_expr(i.indpred, i.indrelid, true) END AS predicate
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = con.conindid AND con.contype IN ('u', 'x')
LEFT JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND ${tableFilter}
ORDER BY n.nspname, c.relname, con.conname`;

/**
 * Indexes that no constraint owns, on tables and materialized views. Each key reports its
 * column or expression, its operator class when it is not the type's default, its sort
 * options (indoption bit 1 = DESC, bit 2 = NULLS FIRST) and a collation that differs from the column's.
 * Operator class and collation are looked up by oid per key: joining those catalogs inside the
 * per-index subquery scanned them whole for every index.
 */
export const indexesQuery = `
SELECT n.nspname AS schema, c.relname AS table_name, ic.relname AS name, i.indisunique AS is_unique,
  am.amname AS method, i.indnkeyatts::int AS key_count,
  (SELECT json_agg(json_build_object(
            'column', a.attname,
            'expression', CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) END,
            'opclass', (SELECT oc.opcname FROM pg_catalog.pg_opclass oc
                         WHERE oc.oid = i.indclass[k.ord - 1] AND NOT oc.opcdefault),
            'option', i.indoption[k.ord - 1],
            'collation', CASE WHEN k.attnum <> 0 AND i.indcollation[k.ord - 1] <> 0
                              AND i.indcollation[k.ord - 1] <> a.attcollation
                         THEN (SELECT coll.collname FROM pg_catalog.pg_collation coll
                                WHERE coll.oid = i.indcollation[k.ord - 1]) END)
          ORDER BY k.ord)
     FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum <> 0) AS keys,
  pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
  (to_jsonb(i) ->> 'indnullsnotdistinct')::boolean AS nulls_not_distinct
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition AND ${inSchemas("n.nspname")}
  AND ${notExcluded("c.relname")} AND ${notFromExtension("pg_class", "c.oid")}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                   WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY n.nspname, c.relname, ic.relname`;

export const triggersQuery = `
SELECT n.nspname AS schema, c.relname AS table_name, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND ${tableFilter}
ORDER BY n.nspname, c.relname, t.tgname`;

export const policiesQuery = `
SELECT n.nspname AS schema, c.relname AS table_name, p.polname AS name, p.polcmd AS command,
  p.polpermissive AS permissive,
  (SELECT json_agg(r.role_name ORDER BY r.role_name)
     FROM (SELECT CASE WHEN ro = 0 THEN 'public' ELSE pg_get_userbyid(ro)::text END AS role_name
             FROM unnest(p.polroles) AS ro) r) AS roles,
  pg_get_expr(p.polqual, p.polrelid, true) AS using_expr,
  pg_get_expr(p.polwithcheck, p.polrelid, true) AS with_check
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ${tableFilter}
ORDER BY n.nspname, c.relname, p.polname`;

export const viewsQuery = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,
  pg_get_viewdef(c.oid, true) AS definition, obj_description(c.oid, 'pg_class') AS comment
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND ${inSchemas("n.nspname")} AND ${notExcluded("c.relname")}
  AND ${notFromExtension("pg_class", "c.oid")}
ORDER BY n.nspname, c.relname`;

/** Functions and procedures (the model has no place for aggregates or window functions). */
export const functionsQuery = `
SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS signature,
  p.prokind AS kind,
  pg_get_functiondef(p.oid) AS definition,
  obj_description(p.oid, 'pg_proc') AS comment
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p') AND ${inSchemas("n.nspname")} AND ${notFromExtension("pg_proc", "p.oid")}
ORDER BY n.nspname, p.proname, 3`;
