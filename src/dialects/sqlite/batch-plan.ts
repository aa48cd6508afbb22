/**
 * The pure half of a SQLite table rebuild: applies a batch's operations to the parsed table,
 * its indexes and the copy of its rows. No I/O here; batch.ts reads the table and runs the result.
 */
import { StratumError } from "../../errors.js";
import type { AlterColumnOp, Operation } from "../../ops/types.js";
import {
  checkConstraint,
  columnDefinition,
  foreignKeyConstraint,
  primaryKeyConstraint,
  renderDefault,
  uniqueConstraint,
} from "./ddl.js";
import { expressionText } from "../common-render.js";
import { significant, tokenize } from "./lexer.js";
import { quoteIdent } from "./quote.js";
import { renderCreateIndex } from "./render.js";
import {
  identifiersIn,
  parseCreateTable,
  type ColumnClause,
  type ColumnDefinition,
  type TableConstraint,
  type TableDefinition,
} from "./table-definition.js";

export interface StoredObject {
  name: string;
  sql: string;
}

export interface RebuildPlan {
  definition: TableDefinition;
  indexes: StoredObject[];
  /** For each column of the new table that gets data: its name and the expression over the old table. */
  copy: { column: string; from: string }[];
}

/** Operations a rebuild applies to the table model; the rest of a batch runs as plain statements. */
export const REBUILD_KINDS = new Set<Operation["kind"]>([
  "addColumn",
  "dropColumn",
  "alterColumn",
  "createIndex",
  "dropIndex",
  "createPrimaryKey",
  "createUniqueConstraint",
  "createForeignKey",
  "createCheckConstraint",
  "dropConstraint",
]);

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function planRebuild(table: string, current: TableDefinition, indexes: StoredObject[], ops: Operation[]): RebuildPlan {
  const definition: TableDefinition = {
    columns: current.columns.map((c) => ({ ...c, clauses: [...c.clauses] })),
    constraints: [...current.constraints],
    options: current.options,
  };
  let nextIndexes = [...indexes];
  // Columns that come from the old table, keyed by lower-case name, with the expression to copy.
  const sources = new Map<string, string>();
  for (const column of current.columns) {
    if (!column.clauses.some((c) => c.kind === "generated")) sources.set(column.name.toLowerCase(), quoteIdent(column.name));
  }
  const findColumn = (name: string, what: string): ColumnDefinition => {
    const column = definition.columns.find((c) => same(c.name, name));
    if (!column) throw new StratumError(`op.batch on "${table}": ${what}: no column "${name}"`);
    return column;
  };

  for (const op of ops) {
    switch (op.kind) {
      case "addColumn": {
        if (definition.columns.some((c) => same(c.name, op.column.name))) {
          throw new StratumError(`op.batch on "${table}": column "${op.column.name}" already exists`);
        }
        const parsed = parseCreateTable(`CREATE TABLE t (${columnDefinition(op.column)})`, table).columns[0]!;
        definition.columns.push(parsed);
        break;
      }
      case "dropColumn": {
        if (op.ifExists && !definition.columns.some((c) => same(c.name, op.column))) break;
        const column = findColumn(op.column, "dropColumn");
        definition.columns = definition.columns.filter((c) => c !== column);
        const key = column.name.toLowerCase();
        sources.delete(key);
        // Constraints and indexes over the dropped column go with it.
        definition.constraints = definition.constraints.filter((c) => !c.columns.includes(key));
        nextIndexes = nextIndexes.filter((index) => !indexColumns(index.sql).includes(key));
        break;
      }
      case "alterColumn":
        alterColumn(table, findColumn(op.column, "alterColumn"), op, sources);
        break;
      case "createIndex":
        if (nextIndexes.some((i) => same(i.name, op.name))) {
          if (op.ifNotExists) break;
          throw new StratumError(`op.batch on "${table}": index "${op.name}" already exists`);
        }
        nextIndexes.push({ name: op.name, sql: renderCreateIndex({ ...op, table }) });
        break;
      case "dropIndex": {
        const before = nextIndexes.length;
        nextIndexes = nextIndexes.filter((i) => !same(i.name, op.name));
        if (nextIndexes.length === before && !op.ifExists) throw new StratumError(`op.batch on "${table}": no index "${op.name}"`);
        break;
      }
      case "createPrimaryKey":
        for (const column of definition.columns) column.clauses = column.clauses.filter((c) => c.kind !== "primaryKey");
        definition.constraints = definition.constraints.filter((c) => c.kind !== "primaryKey");
        definition.constraints.unshift(constraint("primaryKey", op.columns, primaryKeyConstraint(op.name, op.columns)));
        break;
      case "createUniqueConstraint":
        definition.constraints.push(constraint("unique", op.columns, uniqueConstraint(op)));
        break;
      case "createForeignKey":
        definition.constraints.push(constraint("foreignKey", op.columns, foreignKeyConstraint(op)));
        break;
      case "createCheckConstraint":
        definition.constraints.push(constraint("check", [], checkConstraint(op)));
        break;
      case "dropConstraint":
        dropConstraint(table, definition, op.name, op.ifExists === true);
        break;
      default:
        throw new StratumError(`op.batch on "${table}" cannot run ${op.kind} as part of a table rebuild`);
    }
  }
  if (definition.columns.length === 0) throw new StratumError(`op.batch on "${table}" would leave the table without columns`);

  const copy: RebuildPlan["copy"] = [];
  for (const column of definition.columns) {
    const from = sources.get(column.name.toLowerCase());
    if (from !== undefined && !column.clauses.some((c) => c.kind === "generated")) copy.push({ column: column.name, from });
  }
  return { definition, indexes: nextIndexes, copy };
}

/** The constraint as rendered text, parsed back so it is stored like the ones read from the table. */
function constraint(kind: TableConstraint["kind"], columns: string[], text: string): TableConstraint {
  const parsed = parseCreateTable(`CREATE TABLE t (x, ${text})`, "t").constraints[0];
  if (!parsed) throw new StratumError(`cannot read back the constraint ${text}`);
  return kind === "check" ? parsed : { ...parsed, columns: columns.map((c) => c.toLowerCase()) };
}

function alterColumn(table: string, column: ColumnDefinition, op: AlterColumnOp, sources: Map<string, string>): void {
  const replace = (kinds: ColumnClause["kind"][], clause?: ColumnClause) => {
    column.clauses = column.clauses.filter((c) => !kinds.includes(c.kind));
    if (clause) column.clauses.push(clause);
  };
  if (op.identity !== undefined) {
    throw new StratumError(`SQLite has no identity columns ("${column.name}"): use autoIncrement on an integer primary key`);
  }
  if (op.type !== undefined) column.type = op.type;
  if (op.using !== undefined) {
    if (!sources.has(column.name.toLowerCase())) throw new StratumError(`op.batch on "${table}": column "${column.name}" has no old values for USING`);
    sources.set(column.name.toLowerCase(), `(${op.using})`);
  }
  if (op.nullable !== undefined) replace(["notNull", "null"], op.nullable ? undefined : { kind: "notNull", text: "NOT NULL" });
  if (op.default !== undefined) {
    replace(["default"], op.default === null ? undefined : { kind: "default", text: `DEFAULT ${renderDefault(op.default)}` });
  }
  if (op.collation !== undefined) replace(["collate"], { kind: "collate", text: `COLLATE ${quoteIdent(op.collation)}` });
  if (op.generated !== undefined) {
    replace(["generated"], op.generated === null ? undefined : { kind: "generated", text: `GENERATED ALWAYS AS (${expressionText(op.generated)}) STORED` });
  }
  // Comments are not stored by SQLite; a comment change is accepted and has no effect.
  if (op.newName !== undefined) throw new StratumError(`op.batch on "${table}": rename "${column.name}" on its own, not in a rebuild`);
}

function dropConstraint(table: string, definition: TableDefinition, name: string, ifExists: boolean): void {
  const before = definition.constraints.length;
  definition.constraints = definition.constraints.filter((c) => c.name === undefined || !same(c.name, name));
  if (definition.constraints.length < before) return;
  for (const column of definition.columns) {
    const index = column.clauses.findIndex((c) => c.name !== undefined && same(c.name, name));
    if (index >= 0) {
      column.clauses.splice(index, 1);
      return;
    }
  }
  if (!ifExists) {
    throw new StratumError(`op.batch on "${table}": no constraint named "${name}"`, {
      hint: "SQLite keeps only the names given with CONSTRAINT name; an unnamed constraint cannot be dropped by name",
    });
  }
}

/** Identifiers an index's key list and WHERE clause mention (lower case). */
export function indexColumns(sql: string): string[] {
  const tokens = significant(tokenize(sql));
  const open = tokens.findIndex((t) => t.type === "punct" && t.text === "(");
  return open < 0 ? [] : identifiersIn(tokens.slice(open));
}
