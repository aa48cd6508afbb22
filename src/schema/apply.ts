/**
 * Applies operations to a schema model without a database: what the database would report after
 * running them. Used to check the diff (diff(A, B) applied to A gives B) and to follow renames.
 * Pure: the input model is never changed.
 */
import { InputError } from "../errors.js";
import type { AlterColumnOp, CommentTarget, ConstraintType, Operation, TableRef } from "../ops/types.js";
import { isSqlExpression } from "../ops/types.js";
import { createOpToTable, defaultText, foreignKeyFromSpec, indexFromOp, specToColumn } from "./convert.js";
import type { IndexModel, SchemaModel, TableModel, ViewModel } from "./model.js";
import { defaultPrimaryKeyName, defaultUniqueName } from "./naming.js";
import { normalizeDefault, normalizeModel, normalizeType } from "./normalize.js";
import { defaultSchema, displayName, objectKey, refKey, resolveRef } from "./refs.js";

class ModelEditor {
  constructor(readonly model: SchemaModel) {}

  get dialect() {
    return this.model.dialect;
  }

  private schemaOf(schema: string | undefined): string {
    return schema ?? defaultSchema(this.dialect) ?? "";
  }

  findTable(ref: TableRef): TableModel | undefined {
    const key = refKey(this.dialect, ref);
    return this.model.tables.find((t) => objectKey(this.dialect, t.schema, t.name) === key);
  }

  table(ref: TableRef): TableModel {
    const table = this.findTable(ref);
    if (!table) {
      const { schema, name } = resolveRef(this.dialect, ref);
      throw new InputError(`Table ${displayName(this.dialect, schema, name)} does not exist.`);
    }
    return table;
  }

  column(ref: TableRef, name: string) {
    const table = this.table(ref);
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new InputError(`Column ${table.name}.${name} does not exist.`);
    return { table, column };
  }

  private view(name: string, schema: string | undefined): ViewModel | undefined {
    const key = objectKey(this.dialect, this.schemaOf(schema), name);
    return this.model.views.find((v) => objectKey(this.dialect, v.schema, v.name) === key);
  }

  private sameSchemaObject(item: { schema: string; name: string }, name: string, schema: string | undefined): boolean {
    return objectKey(this.dialect, item.schema, item.name) === objectKey(this.dialect, this.schemaOf(schema), name);
  }

  apply(op: Operation): void {
    switch (op.kind) {
      case "createTable": {
        if (this.findTable(op.table)) {
          if (op.ifNotExists) return;
          throw new InputError(`Table ${this.label(op.table)} already exists.`);
        }
        this.model.tables.push(createOpToTable(op, this.dialect));
        return;
      }
      case "dropTable": {
        const table = this.findTable(op.table);
        if (!table) {
          if (op.ifExists) return;
          throw new InputError(`Table ${this.label(op.table)} does not exist.`);
        }
        this.model.tables = this.model.tables.filter((t) => t !== table);
        return;
      }
      case "renameTable":
        return this.renameTable(op.table, op.newName);
      case "setTableComment":
        return this.setComment(this.table(op.table), op.comment);
      case "addColumn": {
        const table = this.table(op.table);
        if (table.columns.some((c) => c.name === op.column.name)) {
          if (op.ifNotExists) return;
          throw new InputError(`Column ${table.name}.${op.column.name} already exists.`);
        }
        table.columns.push(specToColumn(op.column, table, this.dialect));
        if (op.column.primaryKey) table.primaryKey = this.primaryKey(table, [op.column.name]);
        if (op.column.unique) table.uniques.push({ name: defaultUniqueName(this.dialect, table.name, [op.column.name]), columns: [op.column.name] });
        return;
      }
      case "dropColumn": {
        const table = this.table(op.table);
        if (!table.columns.some((c) => c.name === op.column)) {
          if (op.ifExists) return;
          throw new InputError(`Column ${table.name}.${op.column} does not exist.`);
        }
        table.columns = table.columns.filter((c) => c.name !== op.column);
        // The database drops indexes and constraints that used the column along with it.
        const uses = (columns: (string | undefined)[]) => columns.includes(op.column);
        table.indexes = table.indexes.filter((i) => !uses(i.keys.map((k) => k.column)) && !i.include.includes(op.column));
        table.uniques = table.uniques.filter((u) => !uses(u.columns));
        table.foreignKeys = table.foreignKeys.filter((fk) => !uses(fk.columns));
        if (table.primaryKey && uses(table.primaryKey.columns)) delete table.primaryKey;
        return;
      }
      case "alterColumn":
        return this.alterColumn(op);
      case "createIndex": {
        const owner = this.findTable(op.table) ?? this.viewOwner(op.table);
        owner.indexes.push(indexFromOp(op));
        return;
      }
      case "dropIndex":
        return this.dropIndex(op.name, op.schema, op.table, op.ifExists ?? false);
      case "createPrimaryKey": {
        const table = this.table(op.table);
        table.primaryKey = this.primaryKey(table, op.columns, op.name);
        for (const column of table.columns) if (op.columns.includes(column.name)) column.nullable = false;
        return;
      }
      case "createUniqueConstraint": {
        const table = this.table(op.table);
        table.uniques.push(op.nullsNotDistinct ? { name: op.name, columns: [...op.columns], nullsNotDistinct: true } : { name: op.name, columns: [...op.columns] });
        return;
      }
      case "createForeignKey": {
        const table = this.table(op.table);
        table.foreignKeys.push(foreignKeyFromSpec(op, table, table.foreignKeys.length + 1, this.dialect));
        return;
      }
      case "createCheckConstraint":
        this.table(op.table).checks.push({ name: op.name, expression: op.expression, validated: !op.notValid });
        return;
      case "createExcludeConstraint": {
        const exclude = { name: op.name, method: op.method ?? "gist", elements: op.elements.map((e) => ({ ...e })) };
        this.table(op.table).excludes.push(op.where === undefined ? exclude : { ...exclude, where: op.where });
        return;
      }
      case "validateConstraint": {
        const table = this.table(op.table);
        for (const item of [...table.foreignKeys, ...table.checks]) if (item.name === op.name) item.validated = true;
        return;
      }
      case "dropConstraint":
        return this.dropConstraint(op.table, op.name, op.type, op.ifExists ?? false);
      case "createSchema":
        if (!this.model.schemas.includes(op.name)) this.model.schemas.push(op.name);
        else if (!op.ifNotExists) throw new InputError(`Schema ${op.name} already exists.`);
        return;
      case "dropSchema":
        this.model.schemas = this.model.schemas.filter((s) => s !== op.name);
        return;
      case "createExtension": {
        if (this.model.extensions.some((e) => e.name === op.name)) {
          if (op.ifNotExists) return;
          throw new InputError(`Extension ${op.name} already exists.`);
        }
        const extension: SchemaModel["extensions"][number] = { name: op.name };
        if (op.schema !== undefined) extension.schema = op.schema;
        if (op.version !== undefined) extension.version = op.version;
        this.model.extensions.push(extension);
        return;
      }
      case "dropExtension":
        this.model.extensions = this.model.extensions.filter((e) => e.name !== op.name);
        return;
      case "createEnum":
        this.model.enums.push({ schema: this.schemaOf(op.schema), name: op.name, values: [...op.values] });
        return;
      case "dropEnum":
        this.model.enums = this.model.enums.filter((e) => !this.sameSchemaObject(e, op.name, op.schema));
        return;
      case "addEnumValue": {
        const item = this.enumType(op.name, op.schema);
        if (item.values.includes(op.value)) {
          if (op.ifNotExists) return;
          throw new InputError(`Enum ${op.name} already has the value ${op.value}.`);
        }
        const anchor = op.before ?? op.after;
        const index = anchor === undefined ? -1 : item.values.indexOf(anchor);
        if (anchor !== undefined && index < 0) throw new InputError(`Enum ${op.name} has no value ${anchor}.`);
        if (anchor === undefined) item.values.push(op.value);
        else item.values.splice(op.before !== undefined ? index : index + 1, 0, op.value);
        return;
      }
      case "renameEnumValue": {
        const item = this.enumType(op.name, op.schema);
        item.values = item.values.map((v) => (v === op.from ? op.to : v));
        return;
      }
      case "createSequence": {
        const sequence: SchemaModel["sequences"][number] = {
          schema: this.schemaOf(op.schema),
          name: op.name,
          start: op.start ?? 1,
          increment: op.increment ?? 1,
          cycle: op.cycle ?? false,
        };
        if (op.minValue !== undefined) sequence.minValue = op.minValue;
        if (op.maxValue !== undefined) sequence.maxValue = op.maxValue;
        if (op.ownedBy !== undefined) sequence.ownedBy = op.ownedBy;
        this.model.sequences.push(sequence);
        return;
      }
      case "dropSequence":
        this.model.sequences = this.model.sequences.filter((s) => !this.sameSchemaObject(s, op.name, op.schema));
        return;
      case "createView": {
        const existing = this.view(op.name, op.schema);
        if (existing && !op.orReplace) throw new InputError(`View ${op.name} already exists.`);
        if (existing) {
          existing.definition = op.definition;
          return;
        }
        this.model.views.push({ schema: this.schemaOf(op.schema), name: op.name, definition: op.definition, materialized: op.materialized ?? false, indexes: [] });
        return;
      }
      case "dropView":
        this.model.views = this.model.views.filter((v) => !this.sameSchemaObject(v, op.name, op.schema));
        return;
      case "setComment":
        return this.setCommentOn(op.target, op.comment);
      case "batch":
      case "autocommit":
        for (const inner of op.ops) this.apply(inner);
        return;
      case "refreshMaterializedView":
      case "bulkInsert":
        return;
      case "execute":
        throw new InputError(`Raw SQL cannot be applied to a schema model: ${op.sql.slice(0, 60)}`);
    }
  }

  private label(ref: TableRef): string {
    const { schema, name } = resolveRef(this.dialect, ref);
    return displayName(this.dialect, schema, name);
  }

  private primaryKey(table: TableModel, columns: string[], name?: string) {
    const pkName = name ?? defaultPrimaryKeyName(this.dialect, table.name);
    return pkName === undefined ? { columns: [...columns] } : { name: pkName, columns: [...columns] };
  }

  private viewOwner(ref: TableRef): ViewModel {
    const { schema, name } = resolveRef(this.dialect, ref);
    const view = this.view(name, schema);
    if (!view) throw new InputError(`Table ${this.label(ref)} does not exist.`);
    return view;
  }

  private enumType(name: string, schema: string | undefined) {
    const item = this.model.enums.find((e) => this.sameSchemaObject(e, name, schema));
    if (!item) throw new InputError(`Enum ${name} does not exist.`);
    return item;
  }

  private renameTable(ref: TableRef, newName: string): void {
    const table = this.table(ref);
    const oldName = table.name;
    table.name = newName;
    // Foreign keys follow the table they point to, as the database keeps them by identity.
    for (const other of this.model.tables) {
      for (const fk of other.foreignKeys) {
        if (fk.refTable === oldName && (this.dialect === "mysql" || (fk.refSchema ?? defaultSchema(this.dialect)) === table.schema)) fk.refTable = newName;
      }
    }
  }

  private renameColumn(table: TableModel, from: string, to: string): void {
    const rename = (name: string) => (name === from ? to : name);
    for (const column of table.columns) column.name = rename(column.name);
    if (table.primaryKey) table.primaryKey.columns = table.primaryKey.columns.map(rename);
    for (const unique of table.uniques) unique.columns = unique.columns.map(rename);
    for (const fk of table.foreignKeys) fk.columns = fk.columns.map(rename);
    for (const index of table.indexes) {
      for (const key of index.keys) if (key.column !== undefined) key.column = rename(key.column);
      index.include = index.include.map(rename);
    }
    for (const other of this.model.tables) {
      for (const fk of other.foreignKeys) {
        const target = this.findTable(fk.refSchema === undefined ? fk.refTable : { schema: fk.refSchema, name: fk.refTable });
        if (target === table) fk.refColumns = fk.refColumns.map(rename);
      }
    }
  }

  private alterColumn(op: AlterColumnOp): void {
    const { table, column } = this.column(op.table, op.column);
    if (op.type !== undefined) column.type = normalizeType(op.type, this.dialect);
    if (op.nullable !== undefined) column.nullable = op.nullable;
    if (op.default !== undefined) {
      const text = normalizeDefault(defaultText(op.default), column.type);
      if (text === undefined) delete column.default;
      else column.default = text;
    } else if (op.type !== undefined && column.default !== undefined) {
      column.default = normalizeDefault(column.default, column.type) ?? column.default;
    }
    if (op.comment !== undefined) {
      if (op.comment === null) delete column.comment;
      else column.comment = op.comment;
    }
    if (op.identity !== undefined) {
      if (op.identity === null) delete column.identity;
      else {
        column.identity = { ...op.identity };
        column.nullable = false;
      }
    }
    if (op.generated !== undefined) {
      if (op.generated === null) delete column.generated;
      else column.generated = isSqlExpression(op.generated) ? op.generated.text : op.generated;
    }
    if (op.collation === "default") delete column.collation;
    else if (op.collation !== undefined) column.collation = op.collation;
    if (op.newName !== undefined && op.newName !== op.column) {
      if (table.columns.some((c) => c.name === op.newName)) throw new InputError(`Column ${table.name}.${op.newName} already exists.`);
      this.renameColumn(table, op.column, op.newName);
    }
  }

  private dropIndex(name: string, schema: string | undefined, ref: TableRef | undefined, ifExists: boolean): void {
    const owners: { indexes: IndexModel[]; schema: string }[] = ref ? [this.findTable(ref) ?? this.viewOwner(ref)] : [...this.model.tables, ...this.model.views];
    const wanted = schema ?? (ref ? undefined : defaultSchema(this.dialect));
    for (const owner of owners) {
      if (wanted !== undefined && this.dialect !== "mysql" && owner.schema !== wanted) continue;
      const before = owner.indexes.length;
      owner.indexes = owner.indexes.filter((i) => i.name !== name);
      if (owner.indexes.length !== before) return;
    }
    if (!ifExists) throw new InputError(`Index ${name} does not exist.`);
  }

  private dropConstraint(ref: TableRef, name: string, type: ConstraintType | undefined, ifExists: boolean): void {
    const table = this.table(ref);
    const before = table.uniques.length + table.foreignKeys.length + table.checks.length + table.excludes.length + (table.primaryKey ? 1 : 0);
    // SQLite's primary key has no name: saying which kind is dropped is enough.
    const isPrimaryKey = type === "primaryKey" || (table.primaryKey?.name ?? defaultPrimaryKeyName(this.dialect, table.name)) === name;
    if (table.primaryKey && isPrimaryKey) delete table.primaryKey;
    table.uniques = table.uniques.filter((c) => c.name !== name);
    table.foreignKeys = table.foreignKeys.filter((c) => c.name !== name);
    table.checks = table.checks.filter((c) => c.name !== name);
    table.excludes = table.excludes.filter((c) => c.name !== name);
    const after = table.uniques.length + table.foreignKeys.length + table.checks.length + table.excludes.length + (table.primaryKey ? 1 : 0);
    if (before === after && !ifExists) throw new InputError(`Table ${table.name} has no constraint ${name}.`);
  }

  private setComment(target: { comment?: string }, comment: string | null): void {
    if (comment === null) delete target.comment;
    else target.comment = comment;
  }

  private setCommentOn(target: CommentTarget, comment: string | null): void {
    switch (target.type) {
      case "table":
        return this.setComment(this.table(target.table), comment);
      case "column":
        return this.setComment(this.column(target.table, target.column).column, comment);
      case "view":
      case "materializedView": {
        const view = this.view(target.name, target.schema);
        if (!view) throw new InputError(`View ${target.name} does not exist.`);
        return this.setComment(view, comment);
      }
      case "function": {
        const fn = this.model.functions.find((f) => this.sameSchemaObject(f, target.name, target.schema) && f.signature === target.signature);
        if (!fn) throw new InputError(`Function ${target.name}(${target.signature}) does not exist.`);
        return this.setComment(fn, comment);
      }
      default:
        // Comments on other objects are not part of the model.
        return;
    }
  }
}

/** The model after running `operations` on a database described by `model`. */
export function applyOperations(model: SchemaModel, operations: readonly Operation[]): SchemaModel {
  const editor = new ModelEditor(structuredClone(model));
  for (const op of operations) editor.apply(op);
  return normalizeModel(editor.model);
}
