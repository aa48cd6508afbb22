/**
 * Turns a structured operation into the changes the rules check. Raw SQL inside an operation
 * (op.execute) is handed to the parser by the caller; this module covers the structured ones.
 */
import type { ColumnSpec, Operation } from "../ops/types.js";
import { isSqlExpression } from "../ops/types.js";
import { displayTableName as tableName } from "../ops/table-ref.js";
import type { Change, ColumnInfo, ExpressionInfo } from "./changes.js";
import { expressionInfo, typeFromText } from "./sql-changes.js";


async function defaultInfo(value: ColumnSpec["default"]): Promise<ExpressionInfo | undefined> {
  if (value === undefined || value === null) return undefined;
  if (isSqlExpression(value)) return (await expressionInfo(value.text)) ?? { functions: [] };
  return { functions: [] };
}

async function columnInfo(spec: ColumnSpec): Promise<ColumnInfo> {
  const info: ColumnInfo = {
    name: spec.name,
    nullable: spec.nullable !== false && spec.primaryKey !== true,
    primaryKey: spec.primaryKey === true,
    generated: spec.identity !== undefined || spec.generated !== undefined || spec.autoIncrement === true,
  };
  const type = await typeFromText(spec.type);
  if (type) info.type = type;
  const value = await defaultInfo(spec.default);
  if (value) info.default = value;
  return info;
}

function online<T extends { algorithm?: unknown; lock?: unknown }>(op: T): Pick<T, "algorithm" | "lock"> {
  const picked: Partial<T> = {};
  if (op.algorithm !== undefined) picked.algorithm = op.algorithm;
  if (op.lock !== undefined) picked.lock = op.lock;
  return picked as Pick<T, "algorithm" | "lock">;
}

/** The changes one structured operation makes (execute, batch and autocommit are unwrapped by the caller). */
export async function operationChanges(op: Operation): Promise<Change[]> {
  switch (op.kind) {
    case "createTable": {
      const columns = await Promise.all(op.columns.map(columnInfo));
      const primaryKey = op.primaryKey?.columns ?? columns.filter((c) => c.primaryKey).map((c) => c.name);
      for (const column of columns) if (primaryKey.includes(column.name)) column.primaryKey = true;
      const names = [typeof op.table === "string" ? op.table : op.table.name, ...op.columns.map((c) => c.name)];
      for (const constraint of [op.primaryKey, ...(op.foreignKeys ?? []), ...(op.checks ?? []), ...(op.uniques ?? [])]) if (constraint?.name) names.push(constraint.name);
      return [{ kind: "createTable", table: tableName(op.table), columns, primaryKey }, ...identifiers(names)];
    }
    case "addColumn": {
      const column = await columnInfo(op.column);
      return [{ kind: "addColumn", table: tableName(op.table), column, unique: op.column.unique === true, ...online(op) }, ...identifiers([op.column.name])];
    }
    case "dropColumn":
      return [{ kind: "dropColumn", table: tableName(op.table), column: op.column, ...online(op) }];
    case "alterColumn":
      return alterColumn(op);
    case "renameTable":
      return [{ kind: "renameTable", table: tableName(op.table), newName: op.newName }, ...identifiers([op.newName])];
    case "dropTable":
      return [{ kind: "dropTable", table: tableName(op.table) }];
    case "dropSchema":
      return [{ kind: "dropSchema", name: op.name }];
    case "createIndex":
      return [{ kind: "createIndex", name: op.name, table: tableName(op.table), concurrently: op.concurrently === true, ...online(op) }, ...identifiers([op.name])];
    case "dropIndex":
      return [{ kind: "dropIndex", name: op.name, concurrently: op.concurrently === true, ...online(op) }];
    case "createPrimaryKey":
      return [{ kind: "addPrimaryKey", table: tableName(op.table), usingIndex: false }, ...identifiers(op.name ? [op.name] : [])];
    case "createUniqueConstraint":
      return [{ kind: "addUnique", table: tableName(op.table), name: op.name, usingIndex: op.usingIndex !== undefined }, ...identifiers([op.name])];
    case "createForeignKey":
      return [{ kind: "addForeignKey", table: tableName(op.table), name: op.name, notValid: op.notValid === true }, ...identifiers([op.name])];
    case "createCheckConstraint": {
      const change: Change = { kind: "addCheck", table: tableName(op.table), name: op.name, notValid: op.notValid === true };
      const expression = await expressionInfo(op.expression);
      if (expression) change.expression = expression;
      return [change, ...identifiers([op.name])];
    }
    case "validateConstraint":
      return [{ kind: "validateConstraint", table: tableName(op.table), name: op.name }];
    case "dropConstraint":
      return op.type === "primaryKey" ? [{ kind: "dropPrimaryKey", table: tableName(op.table) }] : [];
    case "refreshMaterializedView":
      return [{ kind: "refreshMaterializedView", name: op.name, concurrently: op.concurrently === true }];
    case "addEnumValue":
      return [{ kind: "addEnumValue", name: op.name, value: op.value, positioned: op.before !== undefined || op.after !== undefined }];
    case "createExtension":
      return [{ kind: "createExtension", name: op.name, ifNotExists: op.ifNotExists === true }];
    case "createSchema":
    case "createEnum":
    case "createSequence":
    case "createView":
    case "createExcludeConstraint":
      return identifiers([op.name]);
    default:
      return [];
  }
}

async function alterColumn(op: Extract<Operation, { kind: "alterColumn" }>): Promise<Change[]> {
  const table = tableName(op.table);
  const changes: Change[] = [];
  if (op.type !== undefined) {
    const change: Change = { kind: "alterType", table, column: op.column, type: await typeFromText(op.type), using: op.using !== undefined, ...online(op) };
    const from = op.previous?.type === undefined ? undefined : await typeFromText(op.previous.type);
    if (from) change.from = from;
    changes.push(change);
  }
  if (op.nullable === false) changes.push({ kind: "setNotNull", table, column: op.column });
  if (op.newName !== undefined) changes.push({ kind: "renameColumn", table, column: op.column, newName: op.newName, ...online(op) }, ...identifiers([op.newName]));
  return changes;
}

function identifiers(names: string[]): Change[] {
  return names.map((name) => ({ kind: "identifier", name }));
}
