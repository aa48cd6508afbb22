/**
 * Builds the schema model of declarative SQL files straight from PostgreSQL's parse trees, with no
 * database at all, when every statement is one whose whole effect on the catalog is known here:
 * plain tables of built-in or enum types, identities, keys, foreign keys, plain b-tree indexes, enums,
 * schemas and comments. Anything else (a CHECK, a view, a function, an expression default, a SET,
 * a name PostgreSQL would have to make unique, a reference it would reject) answers "unsupported"
 * and the caller applies the files to a real PostgreSQL instead, which also reports the errors.
 * Validation stays PostgreSQL's: this path only accepts what it can tell PostgreSQL would accept.
 */
import type { ForeignKeyModel, IndexKeyModel, IndexModel, SchemaModel, TableModel } from "../../schema/model.js";
import { emptySchema, emptyTable } from "../../schema/model.js";
import { postgresObjectName } from "../../schema/naming.js";
import { normalizeModel } from "../../schema/normalize.js";
import type { IdentitySpec, ReferentialAction } from "../../ops/types.js";
import { lineCounter, loadParser, trimStatement } from "./split.js";

type Node = Record<string, unknown>;

export interface ParsedSqlFile {
  path: string;
  text: string;
}

export interface ParseModelOptions {
  /** Schemas to describe; default: public plus every schema the files create. */
  schemas?: readonly string[];
  /** Table names left out of the model. */
  exclude?: readonly string[];
}

export type ParseModelResult = { model: SchemaModel } | { unsupported: string; file: string; line?: number };

const HOME = "public";
const MAX_NAME_BYTES = 63;

/** Thrown inside the walk; becomes the "unsupported" answer, never reaches the user as an error. */
class Unsupported extends Error {}

function unsupported(reason: string): never {
  throw new Unsupported(reason);
}

/**
 * Built-in types a column may have here, by the name the parser gives them, with their canonical
 * spelling. Each has a default b-tree operator class, so any of them may be a key or indexed
 * (json, which has none, is left out for that reason).
 */
const BUILTIN_TYPES: Record<string, { name: string; kind: TypeKind; typmods?: "precision" | "length" | "numeric" }> = {
  int2: { name: "smallint", kind: "integer" },
  int4: { name: "integer", kind: "integer" },
  int8: { name: "bigint", kind: "integer" },
  float4: { name: "real", kind: "float" },
  float8: { name: "double precision", kind: "float" },
  numeric: { name: "numeric", kind: "numeric", typmods: "numeric" },
  bool: { name: "boolean", kind: "boolean" },
  varchar: { name: "character varying", kind: "string", typmods: "length" },
  text: { name: "text", kind: "string" },
  timestamp: { name: "timestamp without time zone", kind: "timestamp", typmods: "precision" },
  timestamptz: { name: "timestamp with time zone", kind: "timestamp", typmods: "precision" },
  date: { name: "date", kind: "date" },
  uuid: { name: "uuid", kind: "uuid" },
  jsonb: { name: "jsonb", kind: "jsonb" },
  bytea: { name: "bytea", kind: "other" },
  inet: { name: "inet", kind: "other" },
};

/**
 * pg_catalog's own type names, other than its tables' row types (pg_*) and arrays (_*). The
 * scratch database looks pg_catalog up first, so an enum in public with one of these names would
 * never be the type a bare column type names. A test checks the list against PostgreSQL.
 */
export const PG_CATALOG_TYPE_NAMES: ReadonlySet<string> = new Set([
  "aclitem", "any", "anyarray", "anycompatible", "anycompatiblearray", "anycompatiblemultirange",
  "anycompatiblenonarray", "anycompatiblerange", "anyelement", "anyenum", "anymultirange",
  "anynonarray", "anyrange", "bit", "bool", "box", "bpchar", "bytea", "char", "cid", "cidr",
  "circle", "cstring", "date", "datemultirange", "daterange", "event_trigger", "fdw_handler",
  "float4", "float8", "gtsvector", "index_am_handler", "inet", "int2", "int2vector", "int4",
  "int4multirange", "int4range", "int8", "int8multirange", "int8range", "internal", "interval",
  "json", "jsonb", "jsonpath", "language_handler", "line", "lseg", "macaddr", "macaddr8", "money",
  "name", "numeric", "nummultirange", "numrange", "oid", "oidvector", "path", "point", "polygon",
  "record", "refcursor", "regclass", "regcollation", "regconfig", "regdictionary", "regnamespace",
  "regoper", "regoperator", "regproc", "regprocedure", "regrole", "regtype", "table_am_handler",
  "text", "tid", "time", "timestamp", "timestamptz", "timetz", "trigger", "tsm_handler",
  "tsmultirange", "tsquery", "tsrange", "tstzmultirange", "tstzrange", "tsvector", "txid_snapshot",
  "unknown", "uuid", "varbit", "varchar", "void", "xid", "xid8", "xml",
]);

const SERIALS: Record<string, string> = { smallserial: "int2", serial2: "int2", serial: "int4", serial4: "int4", bigserial: "int8", serial8: "int8" };

type TypeKind = "integer" | "float" | "numeric" | "boolean" | "string" | "timestamp" | "date" | "uuid" | "jsonb" | "enum" | "other";

interface ColumnType {
  /** Canonical name, typmods and array brackets included. */
  name: string;
  kind: TypeKind;
  isArray: boolean;
  /** Character limit of a varchar. */
  length?: number;
  enumValues?: readonly string[];
  serial?: boolean;
}

interface KeyRecord {
  columns: string[];
}

interface TableState {
  model: TableModel;
  types: Map<string, ColumnType>;
  /** Column lists a foreign key may reference: the primary key, unique constraints and unique indexes. */
  keys: KeyRecord[];
  constraintNames: Set<string>;
}

interface SchemaState {
  relations: Set<string>;
  types: Set<string>;
  constraintNames: Set<string>;
}

/**
 * The model the files describe, or why it cannot be told without PostgreSQL. The model is
 * normalized as every producer's is (schema/normalize.ts).
 */
export async function modelFromParseTrees(files: readonly ParsedSqlFile[], options: ParseModelOptions = {}): Promise<ParseModelResult> {
  const parse = await loadParser();
  const builder = new ParseModelBuilder();
  for (const file of files) {
    let statements: Node[];
    try {
      statements = ((parse(file.text) as { stmts?: Node[] }).stmts ?? []);
    } catch {
      return { unsupported: "the file does not parse", file: file.path };
    }
    for (const raw of statements) {
      try {
        builder.statement((raw["stmt"] ?? {}) as Node);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        return { unsupported: error.message, file: file.path, line: lineOf(file.text, Number(raw["stmt_location"] ?? 0)) };
      }
    }
  }
  return { model: builder.finish(options) };
}

/** The line a statement starts on, past the comments the parser's location may include. */
function lineOf(text: string, byteOffset: number): number {
  const bytes = Buffer.from(text, "utf8");
  return lineCounter(bytes)(byteOffset) + trimStatement(bytes.subarray(byteOffset).toString("utf8")).leadingLines;
}

class ParseModelBuilder {
  private readonly schemas = new Map<string, SchemaState>([[HOME, emptySchemaState()]]);
  private readonly created: string[] = [];
  private readonly tables = new Map<string, TableState>();
  private readonly enums = new Map<string, { schema: string; name: string; values: string[] }>();

  statement(node: Node): void {
    const [kind, body] = onlyEntry(node);
    switch (kind) {
      case "CreateStmt":
        return this.createTable(body);
      case "IndexStmt":
        return this.createIndex(body);
      case "CreateEnumStmt":
        return this.createEnum(body);
      case "CreateSchemaStmt":
        return this.createSchema(body);
      case "CommentStmt":
        return this.comment(body);
      case "AlterTableStmt":
        return this.alterTable(body);
      default:
        unsupported(`${kind} statements`);
    }
  }

  finish(options: ParseModelOptions): SchemaModel {
    const wanted = new Set(options.schemas?.length ? options.schemas : [HOME, ...this.created]);
    const excluded = new Set(options.exclude ?? []);
    const model = emptySchema("postgresql");
    model.schemas = [...wanted].filter((s) => s !== HOME);
    model.enums = [...this.enums.values()].filter((e) => wanted.has(e.schema)).map((e) => ({ ...e, values: [...e.values] }));
    model.tables = [...this.tables.values()].map((t) => t.model).filter((t) => wanted.has(t.schema) && !excluded.has(t.name));
    return normalizeModel(model);
  }

  // --- statements ---

  private createSchema(body: Node): void {
    allowOnly(body, ["schemaname"], "CREATE SCHEMA with options or elements");
    const name = identifier(body["schemaname"]);
    if (this.schemas.has(name)) unsupported(`CREATE SCHEMA of an existing schema ${name}`);
    if (name.startsWith("pg_")) unsupported("a schema named pg_*");
    this.schemas.set(name, emptySchemaState());
    this.created.push(name);
  }

  private createEnum(body: Node): void {
    allowOnly(body, ["typeName", "vals"], "CREATE TYPE with options");
    const { schema, name } = this.qualifiedName(strings(body["typeName"]));
    if (PG_CATALOG_TYPE_NAMES.has(name) || name.startsWith("pg_") || name.startsWith("_") || name in SERIALS) unsupported(`an enum named ${name}, like a built-in type`);
    const values = strings(body["vals"] ?? []);
    if (new Set(values).size !== values.length) unsupported(`enum ${name} with a repeated value`);
    for (const value of values) if (value.length === 0 || byteLength(value) > MAX_NAME_BYTES) unsupported(`enum ${name} with an empty or over-long value`);
    this.claimType(schema, name);
    this.enums.set(`${schema}.${name}`, { schema, name, values });
  }

  private createTable(body: Node): void {
    allowOnly(body, ["relation", "tableElts", "oncommit"], "CREATE TABLE with options (IF NOT EXISTS, INHERITS, PARTITION, WITH, TABLESPACE, OF, LIKE)");
    if (body["oncommit"] !== "ONCOMMIT_NOOP") unsupported("CREATE TABLE ... ON COMMIT");
    const { schema, name } = this.relationName(body["relation"]);
    if (name.startsWith("_")) unsupported(`a table name starting with an underscore (${name})`);
    this.claimRelation(schema, name);
    this.claimType(schema, name);
    const state: TableState = { model: emptyTable(schema, name), types: new Map(), keys: [], constraintNames: new Set() };
    this.tables.set(`${schema}.${name}`, state);

    const elements = (body["tableElts"] ?? []) as Node[];
    const deferred: { column?: string; constraint: Node }[] = [];
    for (const element of elements) {
      const [kind, item] = onlyEntry(element);
      if (kind === "ColumnDef") deferred.push(...this.addColumn(state, item).map((constraint) => ({ column: str(item["colname"]), constraint })));
      else if (kind === "Constraint") deferred.push({ constraint: item });
      else unsupported(`${kind} in CREATE TABLE`);
    }
    // PostgreSQL names and builds keys before foreign keys, whatever order they were written in.
    const keyFirst = (c: Node) => (c["contype"] === "CONSTR_FOREIGN" ? 1 : 0);
    const ordered = [...deferred].sort((a, b) => keyFirst(a.constraint) - keyFirst(b.constraint));
    for (const { column, constraint } of ordered) this.addConstraint(state, constraint, column);
    for (const column of state.model.columns) if (!column.nullable) this.claimNotNullName(state, column.name);
  }

  /** Adds the column and returns its key and reference constraints, which are added once every column exists. */
  private addColumn(state: TableState, def: Node): Node[] {
    allowOnly(def, ["colname", "typeName", "is_local", "constraints", "location"], "a column with COLLATE, STORAGE, COMPRESSION or options");
    const table = state.model;
    const name = identifier(def["colname"]);
    if (state.types.has(name)) unsupported(`column ${table.name}.${name} declared twice`);
    if (["tableoid", "xmin", "xmax", "cmin", "cmax", "ctid"].includes(name)) unsupported(`a column named ${name}`);
    const type = this.columnType(def["typeName"] as Node);
    state.types.set(name, type);
    const column: TableModel["columns"][number] = { name, type: type.name, nullable: true };
    table.columns.push(column);
    const later: Node[] = [];
    let nullSeen = false;
    let notNullSeen = false;
    let defaultSeen = false;
    for (const wrapped of (def["constraints"] ?? []) as Node[]) {
      const [kind, constraint] = onlyEntry(wrapped);
      if (kind !== "Constraint") unsupported(`${kind} on a column`);
      switch (constraint["contype"]) {
        case "CONSTR_NULL":
          nullSeen = true;
          break;
        case "CONSTR_NOTNULL":
          if (constraint["conname"] !== undefined || constraint["is_no_inherit"]) unsupported("a named or NO INHERIT NOT NULL");
          notNullSeen = true;
          column.nullable = false;
          break;
        case "CONSTR_DEFAULT":
          if (defaultSeen) unsupported(`two defaults on ${table.name}.${name}`);
          defaultSeen = true;
          column.default = defaultText(constraint["raw_expr"] as Node, type, `${table.name}.${name}`);
          break;
        case "CONSTR_PRIMARY":
        case "CONSTR_UNIQUE":
        case "CONSTR_FOREIGN":
          later.push(constraint);
          break;
        case "CONSTR_IDENTITY":
          if (column.identity) unsupported(`two identities on ${table.name}.${name}`);
          column.identity = identitySpec(constraint, type, `${table.name}.${name}`);
          break;
        default:
          unsupported(`${String(constraint["contype"])} on column ${table.name}.${name}`);
      }
    }
    if (nullSeen && notNullSeen) unsupported(`conflicting NULL/NOT NULL on ${table.name}.${name}`);
    if (column.identity || type.serial) {
      // Both own a sequence that PostgreSQL names after the column.
      if (defaultSeen || nullSeen) unsupported(`a default or NULL on ${column.identity ? "identity" : "serial"} column ${table.name}.${name}`);
      const sequence = this.generatedName(table.schema, table.name, name, "seq");
      this.claimRelation(table.schema, sequence);
      column.nullable = false;
      if (type.serial) column.default = `nextval('${table.schema === HOME ? sequence : `${table.schema}.${sequence}`}'::regclass)`;
    }
    return later;
  }

  private addConstraint(state: TableState, constraint: Node, column: string | undefined): void {
    const table = state.model;
    const explicitName = constraint["conname"] === undefined ? undefined : identifier(constraint["conname"]);
    if (constraint["deferrable"] && constraint["contype"] !== "CONSTR_FOREIGN") unsupported("a deferrable key");
    switch (constraint["contype"]) {
      case "CONSTR_PRIMARY": {
        allowOnly(constraint, ["contype", "conname", "keys", "location"], "a primary key with options");
        const columns = column === undefined ? this.keyColumns(state, constraint["keys"]) : [column];
        if (table.primaryKey) unsupported(`a second primary key on ${table.name}`);
        const name = explicitName ?? this.generatedName(table.schema, table.name, "", "pkey");
        this.claimIndexConstraint(state, name);
        table.primaryKey = { name, columns };
        for (const c of table.columns) if (columns.includes(c.name)) c.nullable = false;
        this.addKey(state, columns);
        return;
      }
      case "CONSTR_UNIQUE": {
        allowOnly(constraint, ["contype", "conname", "keys", "location"], "a unique constraint with options (NULLS NOT DISTINCT, INCLUDE, WITH)");
        const columns = column === undefined ? this.keyColumns(state, constraint["keys"]) : [column];
        const name = explicitName ?? this.generatedName(table.schema, table.name, columns.join("_"), "key");
        this.claimIndexConstraint(state, name);
        table.uniques.push({ name, columns });
        this.addKey(state, columns);
        return;
      }
      case "CONSTR_FOREIGN":
        return this.addForeignKey(state, constraint, column, explicitName);
      default:
        unsupported(`${String(constraint["contype"])} constraints`);
    }
  }

  private addForeignKey(state: TableState, constraint: Node, column: string | undefined, explicitName: string | undefined): void {
    allowOnly(
      constraint,
      ["contype", "conname", "pktable", "fk_attrs", "pk_attrs", "fk_matchtype", "fk_upd_action", "fk_del_action", "deferrable", "initdeferred", "is_enforced", "initially_valid", "location"],
      "a foreign key with options",
    );
    if (constraint["fk_matchtype"] !== "s") unsupported("MATCH FULL or MATCH PARTIAL");
    if (constraint["is_enforced"] !== true || constraint["initially_valid"] !== true) unsupported("a NOT VALID or NOT ENFORCED foreign key");
    const table = state.model;
    const columns = column === undefined ? this.keyColumns(state, constraint["fk_attrs"]) : [column];
    const { schema, name } = this.relationName(constraint["pktable"]);
    const target = this.tables.get(`${schema}.${name}`) ?? unsupported(`a reference to table ${name}, which does not exist yet`);
    let refColumns: string[];
    if (constraint["pk_attrs"] === undefined) {
      refColumns = target.model.primaryKey?.columns ?? unsupported(`a reference to ${name}, which has no primary key`);
    } else {
      refColumns = strings(constraint["pk_attrs"]).map(identifier);
    }
    if (refColumns.length !== columns.length) unsupported(`a foreign key on ${table.name} whose column counts differ`);
    if (!target.keys.some((key) => sameSet(key.columns, refColumns))) unsupported(`a reference to ${name} (${refColumns.join(", ")}), which is not a key`);
    columns.forEach((c, i) => {
      const from = state.types.get(c)!;
      const to = target.types.get(refColumns[i]!) ?? unsupported(`a reference to ${name}.${refColumns[i]}, which does not exist`);
      if (from.name !== to.name) unsupported(`a foreign key between columns of different types (${table.name}.${c})`);
    });
    const fkName = explicitName ?? this.generatedName(table.schema, table.name, columns.join("_"), "fkey", true);
    if (state.constraintNames.has(fkName)) unsupported(`constraint name ${fkName} used twice on ${table.name}`);
    state.constraintNames.add(fkName);
    this.schemaState(table.schema).constraintNames.add(fkName);
    const deferrable = constraint["deferrable"] === true;
    if (constraint["initdeferred"] === true && !deferrable) unsupported("INITIALLY DEFERRED without DEFERRABLE");
    const fk: ForeignKeyModel = {
      name: fkName,
      columns,
      refSchema: schema,
      refTable: name,
      refColumns,
      onDelete: referentialAction(constraint["fk_del_action"]),
      onUpdate: referentialAction(constraint["fk_upd_action"]),
      deferrable,
      initiallyDeferred: deferrable && constraint["initdeferred"] === true,
      validated: true,
    };
    table.foreignKeys.push(fk);
  }

  private createIndex(body: Node): void {
    allowOnly(body, ["idxname", "relation", "accessMethod", "indexParams", "indexIncludingParams", "unique"], "an index with options (WHERE, CONCURRENTLY, IF NOT EXISTS, NULLS NOT DISTINCT, WITH, TABLESPACE)");
    if (body["accessMethod"] !== "btree") unsupported(`a ${String(body["accessMethod"])} index`);
    const { schema, name: tableName } = this.relationName(body["relation"]);
    const state = this.tables.get(`${schema}.${tableName}`) ?? unsupported(`an index on ${tableName}, which does not exist yet`);
    const keys: IndexKeyModel[] = ((body["indexParams"] ?? []) as Node[]).map((param) => this.indexKey(state, param));
    const include = ((body["indexIncludingParams"] ?? []) as Node[]).map((param) => {
      const elem = (param["IndexElem"] ?? unsupported("an INCLUDE item that is not a column")) as Node;
      allowOnly(elem, ["name", "ordering", "nulls_ordering"], "an INCLUDE expression");
      return this.existingColumn(state, elem["name"]);
    });
    const unique = body["unique"] === true;
    const allColumns = [...keys.map((k) => k.column!), ...include];
    const name = body["idxname"] === undefined ? this.generatedName(schema, tableName, allColumns.join("_"), "idx") : identifier(body["idxname"]);
    this.claimRelation(schema, name);
    const index: IndexModel = { name, unique, method: "btree", keys, include };
    state.model.indexes.push(index);
    // A unique index may repeat a key (PostgreSQL builds a second index); a reference needs only one.
    const keyColumns = keys.map((k) => k.column!);
    if (unique && include.length === 0 && !state.keys.some((key) => sameSet(key.columns, keyColumns))) this.addKey(state, keyColumns);
  }

  private indexKey(state: TableState, param: Node): IndexKeyModel {
    const elem = (param["IndexElem"] ?? unsupported("an index key that is not a column")) as Node;
    allowOnly(elem, ["name", "ordering", "nulls_ordering"], "an index key with an expression, collation or operator class");
    const column = this.existingColumn(state, elem["name"]);
    const key: IndexKeyModel = { column };
    const ordering = elem["ordering"];
    const nulls = elem["nulls_ordering"];
    if (ordering === "SORTBY_USING") unsupported("an index key ordered USING an operator");
    const descending = ordering === "SORTBY_DESC";
    if (descending) key.order = "DESC";
    // The default is NULLS LAST ascending and NULLS FIRST descending; only a change is recorded.
    if (nulls === "SORTBY_NULLS_FIRST" && !descending) key.nulls = "FIRST";
    if (nulls === "SORTBY_NULLS_LAST" && descending) key.nulls = "LAST";
    return key;
  }

  private comment(body: Node): void {
    allowOnly(body, ["objtype", "object", "comment"], "COMMENT with options");
    const text = body["comment"] === undefined ? undefined : str(body["comment"]);
    const names = strings(((body["object"] as Node)["List"] as Node | undefined)?.["items"] ?? unsupported("COMMENT on this kind of object"));
    if (body["objtype"] === "OBJECT_TABLE") {
      const state = this.tableByNames(names);
      if (text === undefined) delete state.model.comment;
      else state.model.comment = text;
      return;
    }
    if (body["objtype"] === "OBJECT_COLUMN") {
      const state = this.tableByNames(names.slice(0, -1));
      const columnName = identifier(names[names.length - 1]);
      const column = state.model.columns.find((c) => c.name === columnName) ?? unsupported(`a comment on ${state.model.name}.${columnName}, which does not exist`);
      if (text === undefined) delete column.comment;
      else column.comment = text;
      return;
    }
    unsupported(`COMMENT ON ${String(body["objtype"]).replace("OBJECT_", "")}`);
  }

  private alterTable(body: Node): void {
    allowOnly(body, ["relation", "cmds", "objtype"], "ALTER TABLE IF EXISTS");
    if (body["objtype"] !== "OBJECT_TABLE") unsupported("ALTER of something other than a table");
    const { schema, name } = this.relationName(body["relation"], true);
    const state = this.tables.get(`${schema}.${name}`) ?? unsupported(`ALTER TABLE of ${name}, which does not exist yet`);
    for (const wrapped of (body["cmds"] ?? []) as Node[]) {
      const cmd = (wrapped["AlterTableCmd"] ?? unsupported("this ALTER TABLE")) as Node;
      allowOnly(cmd, ["subtype", "def", "behavior"], "this ALTER TABLE");
      if (cmd["subtype"] !== "AT_AddConstraint") unsupported(`ALTER TABLE ${String(cmd["subtype"]).replace("AT_", "")}`);
      const [kind, constraint] = onlyEntry(cmd["def"] as Node);
      if (kind !== "Constraint") unsupported("ALTER TABLE ADD of something other than a constraint");
      if (constraint["contype"] === "CONSTR_PRIMARY") {
        // Adding a primary key later makes its columns NOT NULL, with constraints PostgreSQL names itself.
        for (const c of this.keyColumns(state, constraint["keys"])) if (state.model.columns.find((x) => x.name === c)?.nullable) this.claimNotNullName(state, c);
      }
      this.addConstraint(state, constraint, undefined);
    }
  }

  // --- names and lookups ---

  private schemaState(schema: string): SchemaState {
    return this.schemas.get(schema) ?? unsupported(`an object in schema ${schema}, which does not exist yet`);
  }

  private qualifiedName(parts: readonly string[]): { schema: string; name: string } {
    if (parts.length === 1) return { schema: HOME, name: identifier(parts[0]) };
    if (parts.length === 2) {
      const schema = identifier(parts[0]);
      this.schemaState(schema);
      return { schema, name: identifier(parts[1]) };
    }
    return unsupported(`the name ${parts.join(".")}`);
  }

  private relationName(value: unknown, allowOnlyFlag = false): { schema: string; name: string } {
    const relation = (value ?? {}) as Node;
    allowOnly(relation, ["schemaname", "relname", "inh", "relpersistence", "location"], "a table with a catalog name or alias");
    if (relation["relpersistence"] !== "p") unsupported("a temporary or unlogged table");
    if (relation["inh"] !== true && !allowOnlyFlag) unsupported("ONLY");
    const parts = relation["schemaname"] === undefined ? [str(relation["relname"])] : [str(relation["schemaname"]), str(relation["relname"])];
    return this.qualifiedName(parts);
  }

  private tableByNames(names: readonly string[]): TableState {
    const { schema, name } = this.qualifiedName(names);
    return this.tables.get(`${schema}.${name}`) ?? unsupported(`a comment on ${name}, which is not a table created here`);
  }

  private existingColumn(state: TableState, value: unknown): string {
    const name = identifier(value);
    if (!state.types.has(name)) unsupported(`column ${name}, which ${state.model.name} does not have`);
    return name;
  }

  private keyColumns(state: TableState, value: unknown): string[] {
    const columns = strings(value ?? []).map((c) => this.existingColumn(state, c));
    if (columns.length === 0 || new Set(columns).size !== columns.length) unsupported(`a key on ${state.model.name} with no or repeated columns`);
    return columns;
  }

  private addKey(state: TableState, columns: string[]): void {
    // PostgreSQL quietly drops a key that repeats another one in the same statement; never guess.
    if (state.keys.some((key) => sameSet(key.columns, columns))) unsupported(`a key on ${state.model.name} (${columns.join(", ")}) declared twice`);
    state.keys.push({ columns });
  }

  /**
   * The name PostgreSQL would choose. It adds a number when that name is taken, which depends on
   * the order it checks things in, so a taken name is left to PostgreSQL.
   */
  private generatedName(schema: string, table: string, columns: string, label: string, constraintOnly = false): string {
    if (!isAscii(table) || !isAscii(columns)) unsupported("a generated name from non-ASCII names");
    const name = postgresObjectName(table, columns, label);
    const space = this.schemaState(schema);
    if (space.relations.has(name) || space.constraintNames.has(name)) unsupported(`the generated name ${name}, which is taken`);
    if (!constraintOnly && space.types.has(name)) unsupported(`the generated name ${name}, which is taken by a type`);
    return name;
  }

  private claimRelation(schema: string, name: string): void {
    const space = this.schemaState(schema);
    if (space.relations.has(name)) unsupported(`the name ${name}, used twice in schema ${schema}`);
    space.relations.add(name);
  }

  private claimType(schema: string, name: string): void {
    const space = this.schemaState(schema);
    if (space.types.has(name) || space.types.has(`_${name}`)) unsupported(`the type name ${name}, used twice in schema ${schema}`);
    space.types.add(name);
    space.types.add(`_${name}`);
  }

  /** Index-backed constraints are relations and constraints at once. */
  private claimIndexConstraint(state: TableState, name: string): void {
    const space = this.schemaState(state.model.schema);
    if (state.constraintNames.has(name) || space.constraintNames.has(name)) unsupported(`constraint name ${name} used twice`);
    this.claimRelation(state.model.schema, name);
    state.constraintNames.add(name);
    space.constraintNames.add(name);
  }

  /** NOT NULL constraints have catalog names too, which later generated names must not meet. */
  private claimNotNullName(state: TableState, column: string): void {
    if (!isAscii(state.model.name) || !isAscii(column)) return;
    const name = postgresObjectName(state.model.name, column, "not_null");
    const space = this.schemaState(state.model.schema);
    if (state.constraintNames.has(name)) unsupported(`constraint name ${name} used twice`);
    state.constraintNames.add(name);
    space.constraintNames.add(name);
  }

  private columnType(typeName: Node): ColumnType {
    allowOnly(typeName, ["names", "typmods", "typemod", "arrayBounds", "location"], "a %TYPE, SETOF or interval-field type");
    const names = strings(typeName["names"]);
    const typmods = ((typeName["typmods"] ?? []) as Node[]).map(integerConstant);
    const isArray = typeName["arrayBounds"] !== undefined;
    let base: string;
    if (names.length === 2 && names[0] === "pg_catalog") base = names[1]!;
    // A bare name finds pg_catalog's type first, as it does in the scratch database's search path.
    else if (names.length === 1 && (names[0]! in BUILTIN_TYPES || names[0]! in SERIALS)) base = names[0]!;
    else return this.enumType(names, typmods, isArray);

    const serialOf = SERIALS[base];
    if (serialOf !== undefined) {
      if (isArray || typmods.length > 0) unsupported(`${base}[] or ${base} with modifiers`);
      return { ...this.builtin(serialOf, []), serial: true };
    }
    const type = this.builtin(base, typmods);
    return isArray ? { ...type, name: `${type.name}[]`, isArray: true } : type;
  }

  private builtin(base: string, typmods: number[]): ColumnType {
    const known = BUILTIN_TYPES[base] ?? unsupported(`columns of type ${base}`);
    if (typmods.length === 0) return { name: known.name, kind: known.kind, isArray: false };
    switch (known.typmods) {
      case "length": {
        const [length] = typmods;
        if (typmods.length !== 1 || length! < 1 || length! > 10485760) unsupported(`${known.name}(${typmods.join(",")})`);
        return { name: `${known.name}(${length})`, kind: known.kind, isArray: false, length: length! };
      }
      case "numeric": {
        const [precision, scale = 0] = typmods;
        if (typmods.length > 2 || precision! < 1 || precision! > 1000 || scale < 0 || scale > precision!) unsupported(`numeric(${typmods.join(",")})`);
        return { name: `numeric(${precision},${scale})`, kind: known.kind, isArray: false };
      }
      case "precision": {
        const [precision] = typmods;
        if (typmods.length !== 1 || precision! < 0 || precision! > 6) unsupported(`${base}(${typmods.join(",")})`);
        return { name: known.name.replace(/^(\w+)/, `$1(${precision})`), kind: known.kind, isArray: false };
      }
      default:
        return unsupported(`${known.name} with modifiers`);
    }
  }

  private enumType(names: readonly string[], typmods: number[], isArray: boolean): ColumnType {
    const { schema, name } = this.qualifiedName(names);
    const found = this.enums.get(`${schema}.${name}`) ?? unsupported(`columns of type ${names.join(".")}`);
    if (typmods.length > 0) unsupported(`enum ${name} with modifiers`);
    // format_type qualifies a type outside the search path, which in the scratch database is public alone.
    const spelled = schema === HOME ? name : `${schema}.${name}`;
    if (!/^[a-z_][a-z0-9_]*$/.test(name) || !/^[a-z_][a-z0-9_]*$/.test(schema)) unsupported(`enum name ${spelled} that needs quotes`);
    return { name: isArray ? `${spelled}[]` : spelled, kind: "enum", isArray, enumValues: found.values };
  }
}

// --- defaults ---

/**
 * The default as PostgreSQL would store it, for the literal and function forms whose stored text
 * is certain. Anything else needs PostgreSQL to coerce and deparse it.
 */
function defaultText(expr: Node, type: ColumnType, where: string): string | undefined {
  const [kind, body] = onlyEntry(expr);
  if (kind === "TypeCast") return castDefault(body, type, where);
  if (kind === "A_Const") return constantDefault(body, type, where);
  if (type.isArray) unsupported(`the default of array column ${where}`);
  if (kind === "FuncCall") {
    allowOnly(body, ["funcname", "funcformat", "location"], `the default of ${where}`);
    const fn = strings(body["funcname"]).join(".");
    if ((fn === "now" || fn === "pg_catalog.now") && type.kind === "timestamp" && type.name.includes("with time zone")) return "now()";
    if ((fn === "gen_random_uuid" || fn === "pg_catalog.gen_random_uuid") && type.kind === "uuid") return "gen_random_uuid()";
    return unsupported(`the default ${fn}() of ${where}`);
  }
  if (kind === "SQLValueFunction") {
    allowOnly(body, ["op", "typmod", "location"], `the default of ${where}`);
    if (body["op"] === "SVFOP_CURRENT_TIMESTAMP" && type.kind === "timestamp" && type.name.includes("with time zone")) return "CURRENT_TIMESTAMP";
    if (body["op"] === "SVFOP_CURRENT_DATE" && type.kind === "date") return "CURRENT_DATE";
    return unsupported(`the default of ${where}`);
  }
  return unsupported(`the default of ${where}`);
}

/** `'x'::text` on a text column, as pg_dump writes defaults: the literal, when the cast names the column's own type. */
function castDefault(body: Node, type: ColumnType, where: string): string | undefined {
  allowOnly(body, ["arg", "typeName", "location"], `the default of ${where}`);
  const names = strings((body["typeName"] as Node)["names"]);
  const castTo = names[names.length - 1];
  const sameType = (castTo === "text" && type.name === "text") || (castTo === "varchar" && type.name.startsWith("character varying")) || (castTo === "jsonb" && type.name === "jsonb");
  const [argKind, arg] = onlyEntry(body["arg"] as Node);
  if (!sameType || argKind !== "A_Const" || arg["sval"] === undefined || (body["typeName"] as Node)["typmods"] !== undefined) unsupported(`the default of ${where}`);
  return constantDefault(arg, type, where);
}

function constantDefault(constant: Node, type: ColumnType, where: string): string | undefined {
  if (constant["isnull"] === true) return undefined;
  if (type.isArray) unsupported(`the default of array column ${where}`);
  const integer = (constant["ival"] as Node | undefined)?.["ival"];
  if (constant["ival"] !== undefined) {
    const value = Number(integer ?? 0);
    if (!["integer", "numeric", "float"].includes(type.kind)) unsupported(`an integer default on ${where}`);
    if (type.name === "smallint" && Math.abs(value) > 32767) unsupported(`the default of ${where}, out of range`);
    return value < 0 ? `'${value}'::integer` : String(value);
  }
  if (constant["fval"] !== undefined) {
    const text = str((constant["fval"] as Node)["fval"]);
    if (type.kind !== "numeric" && type.kind !== "float") unsupported(`a decimal default on ${where}`);
    if (!/^-?\d+\.\d+$/.test(text)) unsupported(`the default ${text} of ${where}`);
    return text.startsWith("-") ? `'${text}'::numeric` : text;
  }
  if (constant["boolval"] !== undefined) {
    if (type.kind !== "boolean") unsupported(`a boolean default on ${where}`);
    return (constant["boolval"] as Node)["boolval"] === true ? "true" : "false";
  }
  if (constant["sval"] !== undefined) {
    const value = str((constant["sval"] as Node)["sval"]);
    if (/[\\\u0000-\u001f\u007f]/.test(value)) unsupported(`the default of ${where}, with escapes or control characters`);
    const quoted = `'${value.replace(/'/g, "''")}'`;
    switch (type.kind) {
      case "string":
        if (type.length !== undefined && [...value.replace(/ +$/, "")].length > type.length) unsupported(`the default of ${where}, longer than the column`);
        return `${quoted}::${type.name === "text" ? "text" : "character varying"}`;
      case "enum":
        if (!type.enumValues!.includes(value)) unsupported(`the default of ${where}, which is not a value of ${type.name}`);
        return `${quoted}::${type.name}`;
      case "jsonb":
        if (value !== "{}" && value !== "[]") unsupported(`the jsonb default of ${where}, which PostgreSQL reformats`);
        return `${quoted}::jsonb`;
      default:
        return unsupported(`a string default on ${where}`);
    }
  }
  return unsupported(`the default of ${where}`);
}

/** `GENERATED ALWAYS|BY DEFAULT AS IDENTITY`, with at most a positive START and INCREMENT. */
function identitySpec(constraint: Node, type: ColumnType, where: string): IdentitySpec {
  allowOnly(constraint, ["contype", "generated_when", "options", "location"], `the identity of ${where}`);
  if (type.kind !== "integer" || type.isArray || type.serial) unsupported(`an identity on ${where} of type ${type.name}`);
  const identity: IdentitySpec = { always: constraint["generated_when"] === "a" };
  for (const option of (constraint["options"] ?? []) as Node[]) {
    const def = (option["DefElem"] ?? unsupported(`the identity options of ${where}`)) as Node;
    const value = ((def["arg"] as Node | undefined)?.["Integer"] as Node | undefined)?.["ival"];
    if (typeof value !== "number" || value < 1 || (def["defname"] !== "start" && def["defname"] !== "increment")) unsupported(`the identity options of ${where}`);
    if (type.name === "smallint" && value > 32767) unsupported(`the identity options of ${where}`);
    if (def["defname"] === "start") {
      if (identity.start !== undefined) unsupported(`the identity options of ${where}`);
      if (value !== 1) identity.start = value;
    } else {
      if (identity.increment !== undefined) unsupported(`the identity options of ${where}`);
      if (value !== 1) identity.increment = value;
    }
  }
  return identity;
}

// --- small helpers ---

function emptySchemaState(): SchemaState {
  return { relations: new Set(), types: new Set(), constraintNames: new Set() };
}

function referentialAction(code: unknown): ReferentialAction {
  switch (code) {
    case "a":
      return "NO ACTION";
    case "r":
      return "RESTRICT";
    case "c":
      return "CASCADE";
    case "n":
      return "SET NULL";
    case "d":
      return "SET DEFAULT";
    default:
      return unsupported(`the referential action ${String(code)}`);
  }
}

function onlyEntry(node: Node): [string, Node] {
  const keys = Object.keys(node);
  if (keys.length !== 1) unsupported("an unexpected parse tree");
  return [keys[0]!, (node[keys[0]!] ?? {}) as Node];
}

/** Any field outside `allowed` is syntax this path does not model. */
function allowOnly(node: Node, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(node)) if (!allowed.includes(key)) unsupported(what);
}

function str(value: unknown): string {
  if (typeof value !== "string") unsupported("an unexpected parse tree");
  return value;
}

/** `[{ String: { sval } }]` lists, as the parser gives qualified names and column lists. */
function strings(value: unknown): string[] {
  if (!Array.isArray(value)) unsupported("an unexpected parse tree");
  return value.map((item: Node) => str((item["String"] as Node | undefined)?.["sval"]));
}

function identifier(value: unknown): string {
  const name = str(value);
  if (name.length === 0 || byteLength(name) > MAX_NAME_BYTES) unsupported(`the name ${name}, which PostgreSQL would shorten`);
  return name;
}

function integerConstant(node: Node): number {
  const constant = (node["A_Const"] ?? unsupported("a type modifier that is not a number")) as Node;
  const value = (constant["ival"] as Node | undefined)?.["ival"];
  if (constant["ival"] === undefined) unsupported("a type modifier that is not a number");
  return Number(value ?? 0);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x)) && new Set(a).size === new Set(b).size;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}
