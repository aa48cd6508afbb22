/**
 * Reads PostgreSQL statements with the real parser (libpg-query) and turns each parse tree into
 * the changes the rules check. Unknown statements produce no changes: nothing to flag.
 */
import { contentKey, readGroupedEntry, writeGroupedEntry } from "../cache-dir.js";
import { loadParser, parserVersion } from "../dialects/postgres/split.js";
import { buildStamp } from "../package-files.js";
import type { Change, ColumnInfo, ExpressionInfo } from "./changes.js";
import { typeFromNode } from "./pg-types.js";

type Node = Record<string, unknown>;

/**
 * The parser's module, imported when a statement is first read. The runner imports this module
 * for every step, and a run whose splits are all cached should not load the parser at all.
 */
let parserModule: Promise<typeof import("libpg-query")> | undefined;
// Kept once imported: the runner reads every statement it runs, and a dynamic import() of even
// a loaded module costs a trip through the module loader each time.
const parser = () => (parserModule ??= import("libpg-query"));

export interface ParsedStatement {
  changes: Change[];
  /** 0-based line offset of the statement inside the parsed text. */
  lineOffset: number;
  text: string;
}

/** Bumped when ParsedStatement or the changes read from a tree change shape. */
const CHANGES_FORMAT = "1";

/**
 * Parses SQL text into statements and their changes; one notChecked statement when it cannot.
 * Results are cached by the text, the parser's version and the build, like the runner's splits:
 * linting the revisions an upgrade is about to run then parses only the ones not seen before.
 */
export async function sqlChanges(text: string): Promise<ParsedStatement[]> {
  const key = contentKey([CHANGES_FORMAT, buildStamp(), parserVersion(), text]);
  const cached = readGroupedEntry("lint-postgres", "statements", key);
  if (cached !== undefined) {
    try {
      return JSON.parse(cached.toString("utf8")) as ParsedStatement[];
    } catch {
      // A damaged entry: parse again and rewrite it.
    }
  }
  const statements = await parseChanges(text);
  writeGroupedEntry("lint-postgres", "statements", key, Buffer.from(JSON.stringify(statements), "utf8"));
  return statements;
}

async function parseChanges(text: string): Promise<ParsedStatement[]> {
  await loadParser();
  let stmts: Array<{ stmt?: Node; stmt_location?: number; stmt_len?: number }>;
  try {
    stmts = ((await (await parser()).parse(text)) as { stmts?: typeof stmts }).stmts ?? [];
  } catch (error) {
    const reason = (error as { sqlDetails?: { message?: string } }).sqlDetails?.message ?? (error instanceof Error ? error.message : String(error));
    return [{ changes: [{ kind: "notChecked", reason: reason.split("\n")[0] ?? "" }], lineOffset: 0, text: text.trim() }];
  }
  const bytes = Buffer.from(text, "utf8");
  const statements = stmts.map((raw) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const piece = bytes.subarray(start, end).toString("utf8");
    const lead = /^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/.exec(piece)?.[0] ?? "";
    const before = bytes.subarray(0, start).toString("utf8") + lead;
    return {
      changes: raw.stmt ? statementChanges(raw.stmt) : [],
      lineOffset: (before.match(/\n/g) ?? []).length,
      text: piece.slice(lead.length).replace(/[\s;]+$/, ""),
    };
  });
  for (const statement of statements) statement.changes.push(...(await longIdentifiers(statement.text)));
  return statements;
}

/**
 * Identifiers over 63 bytes, read from the scanner's tokens: the parse tree already holds them
 * truncated, exactly as the server would, so it cannot show the problem.
 */
async function longIdentifiers(text: string): Promise<Change[]> {
  if (!mayHoldLongIdentifier(text)) return [];
  let tokens: Array<{ text: string; tokenName: string }>;
  try {
    tokens = ((await (await parser()).scan(text)) as { tokens?: typeof tokens }).tokens ?? [];
  } catch {
    return [];
  }
  return tokens
    .filter((token) => token.tokenName === "IDENT")
    .map((token) => (token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text.toLowerCase()))
    .filter((name) => Buffer.byteLength(name, "utf8") > 63)
    .map((name) => ({ kind: "identifier", name }));
}

/** A quoted identifier with its quotes, or a run of characters that holds any unquoted one. */
const IDENTIFIER_CANDIDATE = /"(?:[^"]|"")*"|[^\s"'(),;.]+/g;

/**
 * Whether the text has a run of characters long enough to hold an identifier over 63 bytes; the
 * scanner, which costs as much as the parse, is asked only then. The bound is 42 bytes because
 * lower-casing an unquoted name can make it up to half as long again in UTF-8.
 */
export function mayHoldLongIdentifier(text: string): boolean {
  for (const match of text.matchAll(IDENTIFIER_CANDIDATE)) if (Buffer.byteLength(match[0], "utf8") > 42) return true;
  return false;
}

/** Parses one SQL expression (a default or a check) on its own. */
export async function expressionInfo(sql: string): Promise<ExpressionInfo | undefined> {
  await loadParser();
  try {
    const tree = (await (await parser()).parse(`SELECT (${sql})`)) as { stmts?: Array<{ stmt?: Node }> };
    const select = tree.stmts?.[0]?.stmt?.SelectStmt as Node | undefined;
    const target = (select?.targetList as Node[] | undefined)?.[0]?.ResTarget as Node | undefined;
    return target?.val === undefined ? undefined : expressionFromNode(target.val);
  } catch {
    return undefined;
  }
}

/** Parses a type as written in an operation ("varchar(50)", "integer[]") with the parser. */
export async function typeFromText(sql: string): Promise<ReturnType<typeof typeFromNode> | undefined> {
  await loadParser();
  try {
    const tree = (await (await parser()).parse(`SELECT NULL::${sql}`)) as { stmts?: Array<{ stmt?: Node }> };
    const select = tree.stmts?.[0]?.stmt?.SelectStmt as Node | undefined;
    const target = (select?.targetList as Node[] | undefined)?.[0]?.ResTarget as Node | undefined;
    const cast = (target?.val as Node | undefined)?.TypeCast as Node | undefined;
    return cast?.typeName === undefined ? undefined : typeFromNode(cast.typeName as Node);
  } catch {
    return undefined;
  }
}

export function expressionFromNode(node: unknown): ExpressionInfo {
  const functions: string[] = [];
  walk(node, (n) => {
    const call = n.FuncCall as Node | undefined;
    if (call) functions.push(nameOf(call.funcname as Node[]));
  });
  const info: ExpressionInfo = { functions };
  const test = (node as Node).NullTest as Node | undefined;
  const fields = ((test?.arg as Node | undefined)?.ColumnRef as Node | undefined)?.fields as Node[] | undefined;
  if (test?.nulltesttype === "IS_NOT_NULL" && fields?.length === 1) info.notNullColumn = nameOf(fields);
  return info;
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  visit(node as Node);
  for (const child of Object.values(node as Node)) walk(child, visit);
}

function nameOf(parts: Node[] | undefined): string {
  return (parts ?? [])
    .map((p) => String((p.String as Node | undefined)?.sval ?? ""))
    .filter((s) => s !== "pg_catalog")
    .join(".");
}

function relationName(rangeVar: unknown): string {
  const rv = (rangeVar ?? {}) as Node;
  return rv.schemaname ? `${String(rv.schemaname)}.${String(rv.relname)}` : String(rv.relname ?? "");
}

function statementChanges(stmt: Node): Change[] {
  const [type, body] = Object.entries(stmt)[0] ?? [];
  const node = (body ?? {}) as Node;
  switch (type) {
    case "CreateStmt":
      return createTable(node);
    case "AlterTableStmt":
      return node.objtype === "OBJECT_TABLE" ? alterTable(node) : [];
    case "IndexStmt": {
      return [{ kind: "createIndex", name: String(node.idxname ?? ""), table: relationName(node.relation), concurrently: node.concurrent === true }];
    }
    case "DropStmt":
      return dropChanges(node);
    case "DropdbStmt":
      return [{ kind: "dropDatabase", name: String(node.dbname ?? "") }];
    case "RenameStmt":
      return renameChanges(node);
    case "TruncateStmt":
      return [{ kind: "truncate", tables: ((node.relations as Node[] | undefined) ?? []).map((r) => relationName(r.RangeVar)), cascade: node.behavior === "DROP_CASCADE" }];
    case "VacuumStmt": {
      const full = ((node.options as Node[] | undefined) ?? []).some((o) => (o.DefElem as Node | undefined)?.defname === "full");
      if (!full || node.is_vacuumcmd !== true) return [];
      const rels = ((node.rels as Node[] | undefined) ?? []).map((r) => relationName((r.VacuumRelation as Node | undefined)?.relation));
      return [{ kind: "vacuumFull", table: rels.join(", ") || "(every table)" }];
    }
    case "ClusterStmt":
      return [{ kind: "cluster", table: node.relation ? relationName(node.relation) : "(every clustered table)" }];
    case "RefreshMatViewStmt":
      return [{ kind: "refreshMaterializedView", name: relationName(node.relation), concurrently: node.concurrent === true }];
    case "AlterEnumStmt":
      if (node.oldVal !== undefined || node.newVal === undefined) return [];
      return [{ kind: "addEnumValue", name: nameOf(node.typeName as Node[]), value: String(node.newVal), positioned: node.newValNeighbor !== undefined }];
    case "CreateExtensionStmt":
      return [{ kind: "createExtension", name: String(node.extname ?? ""), ifNotExists: node.if_not_exists === true }];
    case "ReindexStmt": {
      const concurrently = ((node.params as Node[] | undefined) ?? []).some((p) => (p.DefElem as Node | undefined)?.defname === "concurrently");
      return [{ kind: "reindex", concurrently }];
    }
    default:
      return [];
  }
}

function createTable(node: Node): Change[] {
  const table = relationName(node.relation);
  const columns: ColumnInfo[] = [];
  const primaryKey: string[] = [];
  for (const element of (node.tableElts as Node[] | undefined) ?? []) {
    if (element.ColumnDef) {
      const column = columnFromDef(element.ColumnDef as Node);
      columns.push(column);
      if (column.primaryKey) primaryKey.push(column.name);
    }
    const constraint = element.Constraint as Node | undefined;
    if (constraint?.contype === "CONSTR_PRIMARY") primaryKey.push(...keys(constraint));
  }
  for (const column of columns) if (primaryKey.includes(column.name)) column.primaryKey = true;
  return [{ kind: "createTable", table, columns, primaryKey }];
}

function keys(constraint: Node): string[] {
  return ((constraint.keys as Node[] | undefined) ?? []).map((k) => String((k.String as Node | undefined)?.sval ?? ""));
}

function columnFromDef(def: Node): ColumnInfo {
  const constraints = ((def.constraints as Node[] | undefined) ?? []).map((c) => (c.Constraint ?? {}) as Node);
  const column: ColumnInfo = {
    name: String(def.colname ?? ""),
    nullable: !constraints.some((c) => c.contype === "CONSTR_NOTNULL" || c.contype === "CONSTR_PRIMARY"),
    primaryKey: constraints.some((c) => c.contype === "CONSTR_PRIMARY"),
    generated: constraints.some((c) => c.contype === "CONSTR_IDENTITY" || c.contype === "CONSTR_GENERATED") || def.identity !== undefined,
  };
  if (def.typeName) column.type = typeFromNode(def.typeName as Node);
  const defaultConstraint = constraints.find((c) => c.contype === "CONSTR_DEFAULT");
  if (defaultConstraint?.raw_expr !== undefined) column.default = expressionFromNode(defaultConstraint.raw_expr);
  return column;
}

function alterTable(node: Node): Change[] {
  const table = relationName(node.relation);
  const changes: Change[] = [];
  for (const item of (node.cmds as Node[] | undefined) ?? []) {
    const cmd = (item.AlterTableCmd ?? {}) as Node;
    const column = String(cmd.name ?? "");
    switch (cmd.subtype) {
      case "AT_AddColumn": {
        const def = (cmd.def as Node | undefined)?.ColumnDef as Node | undefined;
        if (!def) break;
        const info = columnFromDef(def);
        const unique = ((def.constraints as Node[] | undefined) ?? []).some((c) => (c.Constraint as Node | undefined)?.contype === "CONSTR_UNIQUE");
        changes.push({ kind: "addColumn", table, column: info, unique });
        break;
      }
      case "AT_DropColumn":
        changes.push({ kind: "dropColumn", table, column });
        break;
      case "AT_AlterColumnType": {
        const def = (cmd.def as Node | undefined)?.ColumnDef as Node | undefined;
        changes.push({ kind: "alterType", table, column, type: def?.typeName ? typeFromNode(def.typeName as Node) : undefined, using: def?.raw_default !== undefined });
        break;
      }
      case "AT_SetNotNull":
        changes.push({ kind: "setNotNull", table, column });
        break;
      case "AT_AddConstraint":
        changes.push(...addConstraint(table, (cmd.def as Node | undefined)?.Constraint as Node | undefined));
        break;
      case "AT_ValidateConstraint":
        changes.push({ kind: "validateConstraint", table, name: column });
        break;
      case "AT_DropConstraint":
        break;
      default:
        break;
    }
  }
  return changes;
}

function addConstraint(table: string, constraint: Node | undefined): Change[] {
  if (!constraint) return [];
  const name = String(constraint.conname ?? "");
  const notValid = constraint.skip_validation === true;
  const changes: Change[] = [];
  switch (constraint.contype) {
    case "CONSTR_FOREIGN":
      changes.push({ kind: "addForeignKey", table, name, notValid });
      break;
    case "CONSTR_CHECK": {
      const change: Change = { kind: "addCheck", table, name, notValid };
      if (constraint.raw_expr !== undefined) change.expression = expressionFromNode(constraint.raw_expr);
      changes.push(change);
      break;
    }
    case "CONSTR_UNIQUE":
      changes.push({ kind: "addUnique", table, name, usingIndex: constraint.indexname !== undefined });
      break;
    case "CONSTR_PRIMARY":
      changes.push({ kind: "addPrimaryKey", table, usingIndex: constraint.indexname !== undefined });
      break;
  }
  return changes;
}

function dropChanges(node: Node): Change[] {
  const names = ((node.objects as Node[] | undefined) ?? []).map((object) => {
    const list = (object.List as Node | undefined)?.items as Node[] | undefined;
    return list ? nameOf(list) : nameOf([object]);
  });
  const concurrently = node.concurrent === true;
  switch (node.removeType) {
    case "OBJECT_TABLE":
      return names.map((table) => ({ kind: "dropTable", table }));
    case "OBJECT_SCHEMA":
      return names.map((name) => ({ kind: "dropSchema", name }));
    case "OBJECT_INDEX":
      return names.map((name) => ({ kind: "dropIndex", name, concurrently }));
    default:
      return [];
  }
}

function renameChanges(node: Node): Change[] {
  const table = relationName(node.relation);
  const newName = String(node.newname ?? "");
  if (node.renameType === "OBJECT_COLUMN" && node.relationType === "OBJECT_TABLE")
    return [{ kind: "renameColumn", table, column: String(node.subname ?? ""), newName }];
  if (node.renameType === "OBJECT_TABLE") return [{ kind: "renameTable", table, newName }];
  return [];
}
