/**
 * Runs the rules over one revision's statements, in order, keeping what the revision has done so
 * far (tables it created, NOT VALID constraints still in the open transaction) and what earlier
 * revisions in the same run declared (column types, validated NOT NULL checks).
 */
import type { DialectName } from "../drivers/types.js";
import type { Change, ColumnInfo, LintStatement } from "./changes.js";
import { changeAvoidsRewrite, formatType, isSmallIntegerType, SERIAL_TYPES, type TypeInfo } from "./pg-types.js";
import { volatilityOf, type Volatility } from "./volatility.js";

export interface RawFinding {
  rule: string;
  line: number;
  statement: string;
  message: string;
}

/** What the linter learns while it walks the revisions of one run, oldest first. */
export class SchemaMemory {
  readonly types = new Map<string, TypeInfo>();
  /** Checks of the form `col IS NOT NULL`: constraint name → "table.column". */
  readonly notNullChecks = new Map<string, string>();
  /** "table.column" pairs that a validated `IS NOT NULL` check covers. */
  readonly provenNotNull = new Set<string>();
}

export interface CheckContext {
  dialect: DialectName;
  direction: "upgrade" | "downgrade";
  /** The revision runs in a transaction (not `transactional: false`). */
  transactional: boolean;
  memory: SchemaMemory;
  /** Function volatility from pg_proc, when the linter has a PostgreSQL connection. */
  volatility?: ReadonlyMap<string, Volatility>;
}

/** Rules about locks and rewrites that only hold on some databases; the rest apply everywhere. */
const POSTGRES_RULES = [
  "index-not-concurrent", "concurrently-in-transaction", "foreign-key-not-valid", "check-not-valid", "validate-same-transaction",
  "set-not-null", "volatile-default", "default-volatility-unknown", "type-change-rewrite", "unique-constraint", "primary-key",
  "truncate-cascade", "vacuum-full", "cluster", "refresh-not-concurrent", "enum-value-position", "prefer-jsonb", "prefer-timestamptz",
  "prefer-text", "prefer-identity", "identifier-too-long", "extension-if-not-exists",
];
const ONLY_ON = new Map<string, readonly DialectName[]>([
  ...POSTGRES_RULES.map((rule): [string, DialectName[]] => [rule, ["postgresql"]]),
  // MySQL fills a new NOT NULL column with the type's implicit default instead of failing.
  ["not-null-without-default", ["postgresql", "sqlite"]],
  ["mysql-algorithm-copy", ["mysql"]],
  ["mysql-lock-none", ["mysql"]],
]);

const bare = (name: string) => name.slice(name.lastIndexOf(".") + 1).toLowerCase();
const columnKey = (table: string, column: string) => `${bare(table)}.${column.toLowerCase()}`;

export function checkStatements(statements: readonly LintStatement[], context: CheckContext): RawFinding[] {
  const state = new RevisionState(context);
  for (const statement of statements) state.visit(statement);
  return state.findings;
}

class RevisionState {
  readonly findings: RawFinding[] = [];
  private readonly createdTables = new Set<string>();
  private readonly createdIndexes = new Set<string>();
  /** NOT VALID constraints added since the transaction last committed. */
  private notValidInTransaction = new Set<string>();
  private current: LintStatement | undefined;

  constructor(private readonly context: CheckContext) {}

  visit(statement: LintStatement): void {
    this.current = statement;
    const runsOutside = statement.outside || !this.context.transactional || statement.changes.some(isConcurrentBuild);
    // A statement outside the transaction commits what came before it.
    if (runsOutside) this.notValidInTransaction = new Set();
    for (const change of statement.changes) {
      if (this.context.direction === "downgrade") this.downgrade(change);
      else this.upgrade(change, statement);
    }
  }

  private report(rule: string, message: string): void {
    const statement = this.current!;
    if (statement.disabled.has(rule) || statement.disabled.has("all")) return;
    if (ONLY_ON.get(rule)?.includes(this.context.dialect) === false) return;
    this.findings.push({ rule, line: statement.line, statement: statement.text, message });
  }

  private existing(table: string): boolean {
    return !this.createdTables.has(bare(table));
  }

  private downgrade(change: Change): void {
    switch (change.kind) {
      case "dropTable":
        return this.report("downgrade-drops-data", `the downgrade drops table ${change.table} and its data`);
      case "dropColumn":
        return this.report("downgrade-drops-data", `the downgrade drops column ${change.table}.${change.column} and its data`);
      case "dropSchema":
        return this.report("downgrade-drops-data", `the downgrade drops schema ${change.name} and everything in it`);
      case "dropDatabase":
        return this.report("downgrade-drops-data", `the downgrade drops database ${change.name}`);
      case "truncate":
        return this.report("downgrade-drops-data", `the downgrade empties ${change.tables.join(", ")}`);
      case "notChecked":
        return this.report("sql-not-checked", `SQL not checked: ${change.reason}`);
      default:
        return;
    }
  }

  private upgrade(change: Change, statement: LintStatement): void {
    const inTransaction = this.context.transactional && !statement.outside;
    const memory = this.context.memory;
    switch (change.kind) {
      case "createTable":
        this.createdTables.add(bare(change.table));
        for (const column of change.columns) this.newColumn(change.table, column, false);
        return;
      case "addColumn":
        this.newColumn(change.table, change.column, this.existing(change.table));
        if (this.existing(change.table)) {
          if (change.unique) this.report("unique-constraint", `column ${change.column.name} is added UNIQUE to existing table ${change.table}`);
          this.mysqlLock(change, `adding column ${change.column.name} to ${change.table}`);
        }
        return;
      case "dropColumn":
        if (!this.existing(change.table)) return;
        this.report("drop-column", `drops column ${change.column} of ${change.table}`);
        this.mysqlLock(change, `dropping column ${change.column} of ${change.table}`);
        return;
      case "alterType":
        return this.alterType(change);
      case "setNotNull":
        if (this.existing(change.table) && !memory.provenNotNull.has(columnKey(change.table, change.column)))
          this.report("set-not-null", `SET NOT NULL on ${change.table}.${change.column} scans the existing table`);
        return;
      case "renameColumn":
        if (!this.existing(change.table)) return;
        this.report("rename-column", `renames column ${change.table}.${change.column} to ${change.newName}`);
        this.mysqlLock(change, `renaming column ${change.column} of ${change.table}`);
        return;
      case "renameTable":
        if (this.existing(change.table)) this.report("rename-table", `renames table ${change.table} to ${change.newName}`);
        else this.createdTables.add(bare(change.newName));
        return;
      case "dropTable":
        if (this.existing(change.table)) this.report("drop-table", `drops table ${change.table}`);
        return;
      case "dropSchema":
        return this.report("drop-schema", `drops schema ${change.name}`);
      case "dropDatabase":
        return this.report("drop-database", `drops database ${change.name}`);
      case "createIndex":
        this.createdIndexes.add(change.name.toLowerCase());
        if (change.concurrently && inTransaction) this.report("concurrently-in-transaction", `index ${change.name} is built CONCURRENTLY inside the revision's transaction`);
        if (!this.existing(change.table)) return;
        if (!change.concurrently) this.report("index-not-concurrent", `index ${change.name} is built on existing table ${change.table} without CONCURRENTLY`);
        this.mysqlLock(change, `building index ${change.name} on ${change.table}`);
        return;
      case "dropIndex":
        if (change.concurrently && inTransaction) this.report("concurrently-in-transaction", `index ${change.name} is dropped CONCURRENTLY inside the revision's transaction`);
        if (this.createdIndexes.has(change.name.toLowerCase())) return;
        if (!change.concurrently) this.report("index-not-concurrent", `index ${change.name} is dropped without CONCURRENTLY`);
        this.mysqlLock(change, `dropping index ${change.name}`);
        return;
      case "reindex":
        if (change.concurrently && inTransaction) this.report("concurrently-in-transaction", "REINDEX CONCURRENTLY runs inside the revision's transaction");
        return;
      case "addForeignKey":
        if (change.notValid) this.notValidInTransaction.add(change.name.toLowerCase());
        else if (this.existing(change.table)) this.report("foreign-key-not-valid", `foreign key ${change.name || "(unnamed)"} is added to existing table ${change.table} without NOT VALID`);
        return;
      case "addCheck":
        if (change.expression?.notNullColumn !== undefined) {
          const key = columnKey(change.table, change.expression.notNullColumn);
          if (change.name) memory.notNullChecks.set(change.name.toLowerCase(), key);
          if (!change.notValid) memory.provenNotNull.add(key);
        }
        if (change.notValid) this.notValidInTransaction.add(change.name.toLowerCase());
        else if (this.existing(change.table)) this.report("check-not-valid", `check ${change.name || "(unnamed)"} is added to existing table ${change.table} without NOT VALID`);
        return;
      case "validateConstraint": {
        const name = change.name.toLowerCase();
        const covered = memory.notNullChecks.get(name);
        if (covered !== undefined) memory.provenNotNull.add(covered);
        if (this.notValidInTransaction.has(name)) this.report("validate-same-transaction", `constraint ${change.name} is validated in the transaction that added it NOT VALID`);
        return;
      }
      case "addUnique":
        if (this.existing(change.table) && !change.usingIndex) this.report("unique-constraint", `unique constraint ${change.name} is added to existing table ${change.table} directly`);
        return;
      case "addPrimaryKey":
        if (!this.existing(change.table)) return;
        if (!change.usingIndex) this.report("primary-key", `a primary key is added to existing table ${change.table}, building its index under ACCESS EXCLUSIVE`);
        this.report("mysql-algorithm-copy", `adding a primary key to ${change.table} copies the table`);
        return;
      case "dropPrimaryKey":
        if (this.existing(change.table)) this.report("mysql-algorithm-copy", `dropping the primary key of ${change.table} copies the table`);
        return;
      case "truncate":
        if (change.cascade) this.report("truncate-cascade", `TRUNCATE ${change.tables.join(", ")} CASCADE also empties every table that references them`);
        return;
      case "vacuumFull":
        return this.report("vacuum-full", `VACUUM FULL rewrites ${change.table}`);
      case "cluster":
        return this.report("cluster", `CLUSTER rewrites ${change.table}`);
      case "refreshMaterializedView":
        if (!change.concurrently) this.report("refresh-not-concurrent", `materialized view ${change.name} is refreshed without CONCURRENTLY`);
        return;
      case "addEnumValue":
        if (!change.positioned) this.report("enum-value-position", `value '${change.value}' is added to enum ${change.name} without BEFORE or AFTER`);
        return;
      case "createExtension":
        if (!change.ifNotExists) this.report("extension-if-not-exists", `CREATE EXTENSION ${change.name} without IF NOT EXISTS`);
        return;
      case "identifier":
        if (Buffer.byteLength(change.name, "utf8") > 63)
          this.report("identifier-too-long", `identifier "${change.name}" is ${Buffer.byteLength(change.name, "utf8")} bytes; PostgreSQL keeps only the first 63`);
        return;
      case "notChecked":
        return this.report("sql-not-checked", `SQL not checked: ${change.reason}`);
    }
  }

  /** Style rules for a new column, and the rewrite and NOT NULL rules when its table has rows. */
  private newColumn(table: string, column: ColumnInfo, tableHasRows: boolean): void {
    const type = column.type;
    if (type) {
      this.context.memory.types.set(columnKey(table, column.name), type);
      if (type.name === "json") this.report("prefer-jsonb", `column ${table}.${column.name} is json`);
      if (type.name === "timestamp") this.report("prefer-timestamptz", `column ${table}.${column.name} is timestamp without time zone`);
      if (type.name === "bpchar") this.report("prefer-text", `column ${table}.${column.name} is char(${type.mods[0] ?? 1})`);
      if (SERIAL_TYPES.has(type.name)) this.report("prefer-identity", `column ${table}.${column.name} is ${formatType(type)}`);
      if (column.primaryKey && isSmallIntegerType(type)) this.report("prefer-bigint-pk", `primary key column ${table}.${column.name} is ${formatType(type)}`);
    }
    if (!tableHasRows) return;
    const fillsRows = column.generated || (type !== undefined && SERIAL_TYPES.has(type.name));
    if (!column.nullable && column.default === undefined && !fillsRows)
      this.report("not-null-without-default", `NOT NULL column ${column.name} is added to existing table ${table} without a default`);
    if (fillsRows) {
      this.report("volatile-default", `column ${column.name} added to existing table ${table} is filled for every row (serial, identity or generated)`);
      return;
    }
    const functions = column.default?.functions ?? [];
    const classified = functions.map((name) => ({ name, volatility: volatilityOf(name, this.context.volatility) }));
    const volatile = classified.filter((f) => f.volatility === "volatile").map((f) => `${f.name}()`);
    const unknown = classified.filter((f) => f.volatility === "unknown").map((f) => `${f.name}()`);
    if (volatile.length > 0)
      this.report("volatile-default", `column ${column.name} is added to existing table ${table} with a volatile default (${volatile.join(", ")})`);
    else if (unknown.length > 0)
      this.report("default-volatility-unknown", `column ${column.name} is added to ${table} with a default calling ${unknown.join(", ")}, whose volatility is unknown`);
  }

  private alterType(change: Extract<Change, { kind: "alterType" }>): void {
    const key = columnKey(change.table, change.column);
    const from = change.from ?? this.context.memory.types.get(key);
    if (change.type) this.context.memory.types.set(key, change.type);
    if (!this.existing(change.table)) return;
    const to = change.type;
    const target = to ? formatType(to) : "a new type";
    if (this.context.dialect === "mysql") {
      if (change.algorithm !== "INSTANT" && change.algorithm !== "INPLACE")
        this.report("mysql-algorithm-copy", `changing the type of ${change.table}.${change.column} to ${target} copies the table`);
      return;
    }
    if (from && to && changeAvoidsRewrite(from, to)) return;
    const known = from ? `from ${formatType(from)} ` : "";
    const note = from ? "" : " (its previous type is not known to the linter, so it is assumed not binary-coercible)";
    this.report("type-change-rewrite", `changing ${change.table}.${change.column} ${known}to ${target} rewrites the table${note}`);
  }

  private mysqlLock(change: { lock?: string; algorithm?: string }, what: string): void {
    if (change.lock === "NONE" || change.algorithm === "INSTANT") return;
    this.report("mysql-lock-none", `${what} does not ask for LOCK=NONE`);
  }
}

function isConcurrentBuild(change: Change): boolean {
  return (change.kind === "createIndex" || change.kind === "dropIndex" || change.kind === "reindex") && change.concurrently;
}
