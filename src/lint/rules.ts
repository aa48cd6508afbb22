/**
 * The catalog of lint rules: each rule's id, its default severity, why the pattern is dangerous
 * and the safe alternative. Rules about locks, rewrites and destruction are errors by default;
 * style rules are warnings or off.
 */
import type { RuleLevel } from "./types.js";

export interface RuleInfo {
  id: string;
  level: RuleLevel;
  why: string;
  fix: string;
}

const RULE_LIST: RuleInfo[] = [
  {
    id: "index-not-concurrent",
    level: "error",
    why: "a plain CREATE INDEX takes a SHARE lock that blocks every write for the whole build, and a plain DROP INDEX takes ACCESS EXCLUSIVE on the table",
    fix: "build or drop it CONCURRENTLY, outside the transaction (op.autocommit, or transactional: false / transactional=false)",
  },
  {
    id: "concurrently-in-transaction",
    level: "error",
    why: "CONCURRENTLY cannot run inside a transaction block: the runner must commit what came before it, so the revision is no longer atomic (and it fails in a single-transaction run)",
    fix: "put it in op.autocommit(...), or mark the revision transactional: false (transactional=false in a SQL header), ideally in a revision of its own",
  },
  {
    id: "foreign-key-not-valid",
    level: "error",
    why: "adding a foreign key takes SHARE ROW EXCLUSIVE on both tables and scans the whole table while holding it",
    fix: "add it NOT VALID (commits at once), then VALIDATE CONSTRAINT in a later transaction (SHARE UPDATE EXCLUSIVE only)",
  },
  {
    id: "check-not-valid",
    level: "error",
    why: "adding a CHECK constraint scans the whole table under ACCESS EXCLUSIVE",
    fix: "add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction",
  },
  {
    id: "validate-same-transaction",
    level: "error",
    why: "validating in the transaction that added the NOT VALID constraint keeps the add's strong lock held for the whole validation scan, which undoes the point of NOT VALID",
    fix: "validate in a later revision, or in op.autocommit(...) after the add has committed",
  },
  {
    id: "set-not-null",
    level: "error",
    why: "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to prove there are no nulls",
    fix: "add CHECK (col IS NOT NULL) NOT VALID, validate it, then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan), then drop the check",
  },
  {
    id: "not-null-without-default",
    level: "error",
    why: "adding a NOT NULL column without a default fails on any table that has rows",
    fix: "add the column nullable (or with a non-volatile default), backfill it, then make it NOT NULL safely",
  },
  {
    id: "volatile-default",
    level: "error",
    why: "a column added with a volatile default rewrites the whole table under ACCESS EXCLUSIVE (a non-volatile default is only stored in the catalog)",
    fix: "add the column without the default (or with a constant), set the default separately, and backfill existing rows in batches",
  },
  {
    id: "default-volatility-unknown",
    level: "warn",
    why: "if the function is volatile the column add rewrites the whole table under ACCESS EXCLUSIVE; its volatility is not in the linter's table of built-in functions",
    fix: "check pg_proc.provolatile for the function (the linter does when it has a connection), or add the default separately and backfill",
  },
  {
    id: "type-change-rewrite",
    level: "error",
    why: "changing a column's type rewrites the whole table (and its indexes) under ACCESS EXCLUSIVE unless the change is binary-coercible",
    fix: "add a new column of the new type, backfill it in batches, switch readers and writers over, then drop the old column",
  },
  {
    id: "unique-constraint",
    level: "error",
    why: "adding a UNIQUE constraint builds its index while holding ACCESS EXCLUSIVE on the table",
    fix: "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX",
  },
  {
    id: "primary-key",
    level: "error",
    why: "adding a primary key builds its index (and checks NOT NULL) while holding ACCESS EXCLUSIVE on the table",
    fix: "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX",
  },
  {
    id: "rename-column",
    level: "error",
    why: "renaming a column breaks every running copy of the application that still uses the old name",
    fix: "add the new column, write to both, backfill, move readers over, then drop the old column (or expose the new name through a view)",
  },
  {
    id: "rename-table",
    level: "error",
    why: "renaming a table breaks every running copy of the application that still uses the old name",
    fix: "create the new table (or a view with the new name), move readers and writers over, then drop the old one",
  },
  { id: "drop-column", level: "error", why: "dropping a column destroys its data and breaks code that still reads it", fix: "stop using the column in the application first, deploy, then drop it in a reviewed revision (disable this finding there)" },
  { id: "drop-table", level: "error", why: "dropping a table destroys its data and takes ACCESS EXCLUSIVE", fix: "stop using the table first, back it up, then drop it in a reviewed revision (disable this finding there)" },
  { id: "drop-schema", level: "error", why: "dropping a schema destroys every object in it", fix: "drop the objects deliberately in reviewed revisions, then the empty schema" },
  { id: "drop-database", level: "error", why: "dropping a database destroys all of its data", fix: "do not drop databases from migrations" },
  { id: "truncate-cascade", level: "error", why: "TRUNCATE ... CASCADE empties every table that references this one, under ACCESS EXCLUSIVE", fix: "truncate the tables you mean by name, or delete rows in batches" },
  { id: "vacuum-full", level: "error", why: "VACUUM FULL rewrites the whole table under ACCESS EXCLUSIVE", fix: "use plain VACUUM, or an online tool such as pg_repack, outside migrations" },
  { id: "cluster", level: "error", why: "CLUSTER rewrites the whole table under ACCESS EXCLUSIVE", fix: "use an online tool such as pg_repack, outside migrations" },
  {
    id: "refresh-not-concurrent",
    level: "error",
    why: "REFRESH MATERIALIZED VIEW without CONCURRENTLY takes ACCESS EXCLUSIVE, blocking every reader of the view until it finishes",
    fix: "REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)",
  },
  {
    id: "enum-value-position",
    level: "warn",
    why: "a value added without BEFORE or AFTER goes to the end, so the enum's sort order depends on the order revisions ran in",
    fix: "say where it goes: ADD VALUE 'x' BEFORE 'y' or AFTER 'y' (op.addEnumValue(..., { before | after }))",
  },
  { id: "prefer-jsonb", level: "warn", why: "json keeps the raw text: no indexing, no equality, duplicate keys kept", fix: "use jsonb" },
  { id: "prefer-timestamptz", level: "warn", why: "timestamp without time zone stores wall-clock time and loses the instant it meant", fix: "use timestamptz" },
  { id: "prefer-text", level: "warn", why: "char(n) pads with spaces and is no faster than text or varchar", fix: "use text or varchar(n)" },
  { id: "prefer-identity", level: "warn", why: "serial makes a sequence with loose ownership and permissions", fix: "use GENERATED ... AS IDENTITY" },
  { id: "prefer-bigint-pk", level: "off", why: "a 32-bit primary key runs out at 2.1 billion rows, and widening it later rewrites the table", fix: "use bigint for primary keys" },
  {
    id: "identifier-too-long",
    level: "error",
    why: "PostgreSQL silently truncates identifiers to 63 bytes, so two long names can collide and later revisions refer to a name that does not exist",
    fix: "use a name of at most 63 bytes",
  },
  {
    id: "extension-if-not-exists",
    level: "warn",
    why: "CREATE EXTENSION fails when the extension is already installed, so a retried or re-run step breaks",
    fix: "CREATE EXTENSION IF NOT EXISTS (op.createExtension(name, { ifNotExists: true }))",
  },
  { id: "missing-downgrade", level: "warn", why: "the revision cannot be rolled back with stratum downgrade", fix: "write a downgrade that undoes the upgrade" },
  { id: "downgrade-drops-data", level: "warn", why: "running this downgrade destroys data that the upgrade's table or column holds", fix: "make sure the data is backed up or disposable before downgrading" },
  {
    id: "sql-not-checked",
    level: "warn",
    why: "the PostgreSQL parser could not read this SQL, so none of the safety rules checked it",
    fix: "fix the syntax, or review the statement by hand and disable this finding",
  },
  {
    id: "mysql-algorithm-copy",
    level: "error",
    why: "this ALTER cannot run in place on MySQL/MariaDB: it copies the whole table (ALGORITHM=COPY) and blocks writes while it does",
    fix: "use an online schema change tool (gh-ost, pt-online-schema-change), or add a new column and backfill instead of changing the type",
  },
  {
    id: "mysql-lock-none",
    level: "warn",
    why: "without LOCK=NONE MySQL/MariaDB may silently take a stronger lock or copy the table; asking for LOCK=NONE makes it fail instead",
    fix: "pass { lock: \"NONE\" } (and algorithm INPLACE or INSTANT) so the server refuses to block writes",
  },
];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(RULE_LIST.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo {
  const rule = RULES.get(id);
  if (!rule) throw new Error(`unknown lint rule ${id}`);
  return rule;
}
