/**
 * Turns a DSL declaration into the normalized SchemaModel for one dialect, checking every
 * reference (foreign keys, index and key columns) and every object the dialect cannot hold.
 */
import { InputError } from "../errors.js";
import type { ColumnSpec } from "../ops/types.js";
import { isSqlExpression } from "../ops/types.js";
import { indexKeyFromOp, specToColumn } from "./convert.js";
import type { ColumnBuilder, EnumDefinition } from "./dsl-columns.js";
import type { IndexBuilder, SchemaDefinition, TableDefinition, ViewDefinition } from "./dsl.js";
import { emptyTable, type ColumnModel, type ForeignKeyModel, type IndexModel, type SchemaModel, type TableModel } from "./model.js";
import { defaultForeignKeyName, defaultPrimaryKeyName, defaultUniqueName } from "./naming.js";
import { type DialectName, normalizeModel } from "./normalize.js";
import { defaultSchema } from "./refs.js";

export interface ToModelOptions {
  /** The schema bare names live in: "public" on PostgreSQL, "main" on SQLite, the database name on MySQL. */
  defaultSchema?: string;
}

const dialectLabel: Record<DialectName, string> = { postgresql: "PostgreSQL", sqlite: "SQLite", mysql: "MySQL" };

function unsupported(what: string, dialect: DialectName): InputError {
  return new InputError(`${what} cannot be declared for ${dialectLabel[dialect]}: it exists only on PostgreSQL.`);
}

class ModelBuilder {
  readonly home: string;
  readonly model: SchemaModel;
  private readonly tablesByKey = new Map<string, { definition: TableDefinition; model: TableModel }>();
  private readonly enums = new Map<string, EnumDefinition>();

  constructor(
    readonly dialect: DialectName,
    options: ToModelOptions,
  ) {
    this.home = options.defaultSchema ?? defaultSchema(dialect) ?? "";
    this.model = { dialect, schemas: [], extensions: [], enums: [], sequences: [], tables: [], views: [], functions: [] };
  }

  private schemaOf(schema: string | undefined): string {
    return this.dialect === "mysql" ? this.home : (schema ?? this.home);
  }

  private key(schema: string, name: string): string {
    return `${schema}.${name}`;
  }

  private requirePostgres(what: string): void {
    if (this.dialect !== "postgresql") throw unsupported(what, this.dialect);
  }

  build(definition: SchemaDefinition): SchemaModel {
    for (const schema of definition.schemas) {
      this.requirePostgres(`Schema ${schema}`);
      this.model.schemas.push(schema);
    }
    for (const item of definition.extensions) {
      this.requirePostgres(`Extension ${item.name}`);
      this.model.extensions.push({ ...(item.schema ? { schema: item.schema } : {}), ...(item.version ? { version: item.version } : {}), name: item.name });
    }
    for (const item of definition.enums) this.addEnum(item);
    for (const item of definition.sequences) {
      this.requirePostgres(`Sequence ${item.name}`);
      const sequence: SchemaModel["sequences"][number] = { schema: this.schemaOf(item.schema), name: item.name, start: item.start, increment: item.increment, cycle: item.cycle };
      if (item.minValue !== undefined) sequence.minValue = item.minValue;
      if (item.maxValue !== undefined) sequence.maxValue = item.maxValue;
      this.model.sequences.push(sequence);
    }
    for (const table of definition.tables) this.addTable(table);
    for (const { definition: table, model } of this.tablesByKey.values()) this.addReferences(table, model);
    for (const item of definition.views) this.addView(item);
    for (const item of definition.functions) {
      if (this.dialect === "sqlite") throw new InputError(`Function ${item.name} cannot be declared for SQLite, which has no stored functions.`);
      const fn: SchemaModel["functions"][number] = { schema: this.schemaOf(item.schema), name: item.name, signature: item.signature, kind: item.routine, definition: item.definition };
      if (item.comment !== undefined) fn.comment = item.comment;
      this.model.functions.push(fn);
    }
    // Schemas that objects live in are created even when not listed.
    if (this.dialect === "postgresql") {
      const used = [...this.model.tables, ...this.model.enums, ...this.model.views, ...this.model.sequences, ...this.model.functions].map((o) => o.schema);
      for (const schema of used) if (schema !== this.home && !this.model.schemas.includes(schema)) this.model.schemas.push(schema);
    }
    return normalizeModel(this.model);
  }

  private addEnum(item: EnumDefinition): void {
    const schema = this.schemaOf(item.schema);
    const key = this.key(schema, item.name);
    const existing = this.enums.get(key);
    if (existing) {
      if (existing.values.join("\u0000") !== item.values.join("\u0000")) throw new InputError(`Enum ${item.name} is declared twice with different values.`);
      return;
    }
    this.enums.set(key, item);
    // MySQL keeps enum values on the column itself.
    if (this.dialect === "mysql") return;
    if (this.dialect === "sqlite") throw unsupported(`Enum ${item.name}`, this.dialect);
    this.model.enums.push({ schema, name: item.name, values: [...item.values] });
  }

  private columnSpec(table: TableDefinition, name: string, builder: ColumnBuilder): ColumnSpec {
    const state = builder.state;
    const type = typeof state.type === "string" ? state.type : state.type.byDialect(this.dialect);
    if (typeof state.type !== "string" && state.type.enum) this.addEnum(state.type.enum);
    const spec: ColumnSpec = { name, type };
    if (state.nullable !== undefined) spec.nullable = state.nullable;
    if (state.default !== undefined) spec.default = state.default;
    if (state.primaryKey) spec.primaryKey = true;
    if (state.identity) {
      if (this.dialect === "sqlite") throw new InputError(`Column ${table.name}.${name}: SQLite has no identity columns; use serial() or integer().primaryKey().`);
      spec.identity = state.identity;
    }
    if (state.generated !== undefined) spec.generated = state.generated;
    if (state.comment !== undefined) spec.comment = state.comment;
    if (state.collation !== undefined) spec.collation = state.collation;
    const serial = typeof state.type !== "string" && state.type.serial === true;
    if (state.autoIncrement || (serial && this.dialect !== "postgresql")) spec.autoIncrement = true;
    return spec;
  }

  private addTable(definition: TableDefinition): void {
    const schema = this.schemaOf(definition.schema);
    const key = this.key(schema, definition.name);
    if (this.tablesByKey.has(key)) throw new InputError(`Table ${definition.name} is declared twice.`);
    const place = { schema, name: definition.name };
    const columns: ColumnModel[] = Object.entries(definition.columns).map(([name, builder]) => specToColumn(this.columnSpec(definition, name, builder), place, this.dialect));
    if (this.dialect === "sqlite") {
      const commented = columns.find((c) => c.comment !== undefined);
      if (definition.tableComment !== undefined || commented)
        throw new InputError(`Table ${definition.name}${commented ? `, column ${commented.name}` : ""}: SQLite has no comments, so none can be declared for it.`);
    }
    const table = emptyTable(schema, definition.name, columns);
    if (definition.tableComment !== undefined) table.comment = definition.tableComment;

    const inlineKey = Object.entries(definition.columns).filter(([, b]) => b.state.primaryKey).map(([name]) => name);
    const explicitKeys = definition.extras.filter((e) => e.kind === "primaryKey");
    if (explicitKeys.length > 1 || (explicitKeys.length === 1 && inlineKey.length > 0))
      throw new InputError(`Table ${definition.name} declares its primary key more than once.`);
    const pk = explicitKeys[0];
    const pkColumns = pk ? [...pk.columns] : inlineKey;
    if (pkColumns.length > 0) {
      this.requireColumns(table, pkColumns, "primary key");
      const name = pk?.name ?? defaultPrimaryKeyName(this.dialect, table.name);
      table.primaryKey = name === undefined ? { columns: pkColumns } : { name, columns: pkColumns };
      for (const column of columns) if (pkColumns.includes(column.name)) column.nullable = false;
    }
    for (const [name, builder] of Object.entries(definition.columns)) {
      const flag = builder.state.unique;
      if (flag) table.uniques.push({ name: typeof flag === "string" ? flag : defaultUniqueName(this.dialect, table.name, [name]), columns: [name] });
    }
    for (const extra of definition.extras) {
      switch (extra.kind) {
        case "index":
          table.indexes.push(this.indexModel(extra, table));
          break;
        case "check":
          table.checks.push({ name: extra.name, expression: extra.expression, validated: true });
          break;
        case "unique":
          this.requireColumns(table, extra.columns, `unique constraint ${extra.name}`);
          table.uniques.push(extra.nullsNotDistinct ? { name: extra.name, columns: [...extra.columns], nullsNotDistinct: true } : { name: extra.name, columns: [...extra.columns] });
          break;
        case "exclude":
          this.requirePostgres(`Exclusion constraint ${extra.name}`);
          table.excludes.push({ name: extra.name, method: extra.method, elements: extra.elements.map((e) => ({ ...e })), ...(extra.where === undefined ? {} : { where: extra.where }) });
          break;
        case "trigger":
          table.triggers.push({ name: extra.name, definition: extra.definition });
          break;
        case "policy": {
          this.requirePostgres(`Policy ${extra.name}`);
          const policy: TableModel["policies"][number] = { name: extra.name, command: extra.command, permissive: extra.permissive, roles: [...extra.roles] };
          if (extra.using !== undefined) policy.using = extra.using;
          if (extra.withCheck !== undefined) policy.withCheck = extra.withCheck;
          table.policies.push(policy);
          break;
        }
        case "rls":
          this.requirePostgres(`Row-level security on ${table.name}`);
          table.rowLevelSecurity = true;
          if (extra.force) table.forceRowLevelSecurity = true;
          break;
        case "primaryKey":
        case "foreignKey":
          break;
      }
    }
    if (table.policies.length > 0 && !table.rowLevelSecurity) {
      throw new InputError(`Table ${table.name} declares policies but not rls(): the policies would have no effect.`);
    }
    this.tablesByKey.set(key, { definition, model: table });
    this.model.tables.push(table);
  }

  private requireColumns(table: TableModel, columns: readonly string[], what: string): void {
    for (const column of columns) {
      if (!table.columns.some((c) => c.name === column)) throw new InputError(`Table ${table.name}: ${what} uses column ${column}, which the table does not declare.`);
    }
  }

  private indexModel(builder: IndexBuilder, owner: { name: string; columns?: ColumnModel[] }): IndexModel {
    const state = builder.state;
    if (state.keys.length === 0) throw new InputError(`Index ${builder.name} has no keys: add .on("column") or .on(sql\`expression\`).`);
    const keys = state.keys.map((key) => {
      const model = isSqlExpression(key) ? { expression: key.text } : indexKeyFromOp(key);
      if (state.opclass !== undefined && model.opclass === undefined) model.opclass = state.opclass;
      return model;
    });
    if (owner.columns) {
      const table = owner as TableModel;
      this.requireColumns(table, keys.flatMap((k) => (k.column === undefined ? [] : [k.column])), `index ${builder.name}`);
      this.requireColumns(table, state.include ?? [], `index ${builder.name}`);
    }
    const index: IndexModel = { name: builder.name, unique: state.unique ?? false, method: state.method ?? "btree", keys, include: [...(state.include ?? [])] };
    if (state.where !== undefined) index.where = state.where;
    if (state.nullsNotDistinct) index.nullsNotDistinct = true;
    return index;
  }

  /** Finds a referenced table: schema-qualified, else in the referencing table's schema, else by name. */
  private lookupTable(reference: string, from: TableModel): TableModel | undefined {
    const dot = this.dialect === "mysql" ? -1 : reference.indexOf(".");
    if (dot > 0) return this.tablesByKey.get(this.key(reference.slice(0, dot), reference.slice(dot + 1)))?.model;
    return (this.tablesByKey.get(this.key(from.schema, reference)) ?? this.tablesByKey.get(this.key(this.home, reference)))?.model;
  }

  private findTable(reference: string, from: TableModel, described: string): TableModel {
    const found = this.lookupTable(reference, from);
    if (!found) throw new InputError(`${described} references table ${reference}, which is not declared.`);
    return found;
  }

  private addReferences(definition: TableDefinition, table: TableModel): void {
    let ordinal = 0;
    const add = (fk: Omit<ForeignKeyModel, "name">, name: string | undefined) => {
      ordinal++;
      table.foreignKeys.push({ name: name ?? defaultForeignKeyName(this.dialect, table.name, fk.columns, ordinal), ...fk });
    };
    for (const [column, builder] of Object.entries(definition.columns)) {
      const reference = builder.state.references;
      if (!reference) continue;
      const described = `Column ${table.name}.${column}`;
      const { target, options } = reference;
      const lastDot = target.lastIndexOf(".");
      // "users" alone means the users table's primary key; "users.id" names the column.
      const asTable = this.lookupTable(target, table);
      const targetTable = asTable ?? (lastDot > 0 ? this.findTable(target.slice(0, lastDot), table, described) : this.findTable(target, table, described));
      let refColumn: string;
      if (asTable) {
        const key = asTable.primaryKey?.columns ?? [];
        if (key.length !== 1) throw new InputError(`${described} references table ${target}, which has no single-column primary key: name the column, as in ${target}.id.`);
        refColumn = key[0]!;
      } else refColumn = target.slice(lastDot + 1);
      if (!targetTable.columns.some((c) => c.name === refColumn)) throw new InputError(`${described} references ${target}, but table ${targetTable.name} has no column ${refColumn}.`);
      add(this.foreignKeyFields([column], targetTable, [refColumn], options), options.name);
    }
    for (const extra of definition.extras) {
      if (extra.kind !== "foreignKey") continue;
      const described = `Foreign key ${extra.name ?? `on ${table.name}(${extra.columns.join(", ")})`}`;
      this.requireColumns(table, extra.columns, described.toLowerCase());
      const targetTable = this.findTable(extra.refTable, table, described);
      for (const column of extra.refColumns) {
        if (!targetTable.columns.some((c) => c.name === column)) throw new InputError(`${described} references ${extra.refTable}.${column}, but table ${targetTable.name} has no column ${column}.`);
      }
      if (extra.refColumns.length !== extra.columns.length) throw new InputError(`${described} lists ${extra.columns.length} columns but references ${extra.refColumns.length}.`);
      add(this.foreignKeyFields([...extra.columns], targetTable, [...extra.refColumns], extra), extra.name);
    }
  }

  private foreignKeyFields(
    columns: string[],
    target: TableModel,
    refColumns: string[],
    options: { onDelete?: ForeignKeyModel["onDelete"]; onUpdate?: ForeignKeyModel["onUpdate"]; deferrable?: boolean; initiallyDeferred?: boolean },
  ): Omit<ForeignKeyModel, "name"> {
    const fk: Omit<ForeignKeyModel, "name"> = {
      columns,
      refTable: target.name,
      refColumns,
      onDelete: options.onDelete ?? "NO ACTION",
      onUpdate: options.onUpdate ?? "NO ACTION",
      deferrable: options.deferrable ?? false,
      initiallyDeferred: options.initiallyDeferred ?? false,
      validated: true,
    };
    if (this.dialect === "postgresql") fk.refSchema = target.schema;
    return fk;
  }

  private addView(definition: ViewDefinition): void {
    if (definition.materialized) this.requirePostgres(`Materialized view ${definition.name}`);
    if (!definition.materialized && definition.indexes.length > 0) throw new InputError(`View ${definition.name} is not materialized, so it cannot have indexes.`);
    const view: SchemaModel["views"][number] = {
      schema: this.schemaOf(definition.schema),
      name: definition.name,
      definition: definition.definition,
      materialized: definition.materialized,
      indexes: definition.indexes.map((i) => this.indexModel(i, { name: definition.name })),
    };
    if (definition.viewComment !== undefined) {
      if (this.dialect === "sqlite") throw new InputError(`View ${definition.name}: SQLite has no comments, so none can be declared for it.`);
      view.comment = definition.viewComment;
    }
    this.model.views.push(view);
  }
}

/** The normalized schema model a declaration describes, for one dialect. */
export function toSchemaModel(definition: SchemaDefinition, dialect: DialectName, options: ToModelOptions = {}): SchemaModel {
  return new ModelBuilder(dialect, options).build(definition);
}
