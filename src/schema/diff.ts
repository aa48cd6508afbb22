/**
 * Schema diff: the ordered operations that turn a database described by one model into one
 * described by another. Pure: no I/O, inputs are never changed.
 *
 * Order of the result:
 *  1. renames the user answered;
 *  2. schemas, extensions, enums (and new enum values), sequences;
 *  3. what depends on objects about to change: triggers, policies, views, foreign keys;
 *  4. dropped tables, referencing tables first;
 *  5. changes inside kept tables;
 *  6. new tables in foreign-key order, each with its indexes;
 *  7. foreign keys (new, changed, and those deferred to break a cycle);
 *  8. functions, then views (dependencies first), then triggers and policies;
 *  9. drops of functions, sequences, enums, extensions and schemas no longer wanted.
 */
import { UsageError } from "../errors.js";
import type { CreateEnumOp, CreateExtensionOp, CreateSequenceOp, Operation } from "../ops/types.js";
import { sameForeignKey, sameFunction, samePolicy, sameSequence, sameTrigger } from "./compare.js";
import { foreignKeyToOp, indexToOp, tableToCreateOp } from "./convert.js";
import { diffTable, dropIndexOp, matchByName } from "./diff-tables.js";
import type { EnumModel, ExtensionModel, ForeignKeyModel, FunctionModel, SchemaModel, SequenceModel, TableModel } from "./model.js";
import { normalizeModel } from "./normalize.js";
import { dependencyOrder } from "./order.js";
import { defaultSchema, displayName, objectKey, schemaField, tableRef } from "./refs.js";
import { type RenameAnswers, type RenameCandidate, resolveRenames } from "./renames.js";
import * as statements from "./statements.js";
import { batchSqliteRebuilds } from "./diff-sqlite.js";
import { ViewDiff } from "./diff-views.js";

export type { RenameCandidate, RenameAnswers } from "./renames.js";

export interface DiffOptions {
  renames?: RenameAnswers;
  /** Accept dropping a table or column that looks renamed, instead of reporting it. */
  allowDrop?: boolean;
}

export interface DiffResult {
  operations: Operation[];
  /** Tables and columns that look renamed; their drop and add are held back until answered. */
  renameCandidates: RenameCandidate[];
  /** Changes that need a hand-written migration (an enum value removed, ...), one sentence each. */
  manual: string[];
}

class SchemaDiff {
  readonly dialect: SchemaModel["dialect"];
  private readonly fromTables: Map<string, TableModel>;
  private readonly toTables: Map<string, TableModel>;
  readonly manual: string[] = [];

  constructor(
    readonly from: SchemaModel,
    readonly to: SchemaModel,
  ) {
    this.dialect = to.dialect;
    this.fromTables = new Map(from.tables.map((t) => [this.key(t), t]));
    this.toTables = new Map(to.tables.map((t) => [this.key(t), t]));
  }

  key(item: { schema?: string; name: string }): string {
    return objectKey(this.dialect, item.schema, item.name);
  }

  private fkTargetKey(table: TableModel, fk: ForeignKeyModel): string {
    return objectKey(this.dialect, fk.refSchema ?? defaultSchema(this.dialect) ?? table.schema, fk.refTable);
  }

  private ref(table: { schema: string; name: string }) {
    return tableRef(this.dialect, table.schema, table.name);
  }

  run(): Operation[] {
    const keptPairs = [...this.toTables.entries()]
      .filter(([key]) => this.fromTables.has(key))
      .map(([key, to]) => ({ from: this.fromTables.get(key)!, to }));
    const tableChanges = keptPairs.map((pair) => ({ ...pair, changes: diffTable(this.dialect, pair.from, pair.to) }));
    const droppedTables = this.from.tables.filter((t) => !this.toTables.has(this.key(t)));
    const createdTables = this.to.tables.filter((t) => !this.fromTables.has(this.key(t)));

    const foreignKeys = this.foreignKeyChanges(keptPairs, tableChanges);
    const views = new ViewDiff(this.from, this.to).changes(droppedTables, tableChanges);
    const functions = matchFunctions(this.from.functions, this.to.functions);
    const newTables = this.createTables(createdTables);

    return [
      ...this.schemasAndTypes(),
      ...this.dropTriggersAndPolicies(keptPairs),
      ...views.drops,
      ...foreignKeys.drops,
      ...this.dropTables(droppedTables),
      ...tableChanges.flatMap((t) => t.changes.drops),
      ...tableChanges.flatMap((t) => t.changes.changes),
      ...newTables.ops,
      ...foreignKeys.creates,
      ...newTables.deferredForeignKeys,
      ...functions.create.map(statements.createFunction),
      ...functionComments(this.dialect, this.from.functions, this.to.functions),
      ...views.creates,
      ...this.createTriggersAndPolicies(keptPairs, createdTables),
      ...functions.drop.map((fn) => statements.dropFunction(this.dialect, fn)),
      ...this.dropStandaloneObjects(),
    ];
  }

  private schemasAndTypes(): Operation[] {
    const ops: Operation[] = [];
    for (const schema of this.to.schemas) if (!this.from.schemas.includes(schema)) ops.push({ kind: "createSchema", name: schema });
    for (const extension of this.to.extensions) {
      const before = this.from.extensions.find((e) => e.name === extension.name);
      if (!before) {
        ops.push(createExtensionOp(this.dialect, extension));
      } else if (extension.version !== undefined && before.version !== undefined && extension.version !== before.version) {
        this.manual.push(`Extension ${extension.name} is at version ${before.version} and version ${extension.version} is wanted: run ALTER EXTENSION ${extension.name} UPDATE in a hand-written migration.`);
      }
    }
    for (const wanted of this.to.enums) {
      const before = this.from.enums.find((e) => this.key(e) === this.key(wanted));
      if (!before) ops.push(createEnumOp(this.dialect, wanted));
      else ops.push(...this.enumValueChanges(before, wanted));
    }
    for (const wanted of this.to.sequences) {
      const before = this.from.sequences.find((s) => this.key(s) === this.key(wanted));
      if (!before) ops.push(createSequenceOp(this.dialect, wanted));
      else if (!sameSequence(before, wanted)) ops.push(statements.alterSequence(before, wanted));
    }
    return ops;
  }

  /** New values go in at their declared position; removed or reordered values need a hand-written migration. */
  private enumValueChanges(before: EnumModel, wanted: EnumModel): Operation[] {
    const name = displayName(this.dialect, wanted.schema, wanted.name);
    const removed = before.values.filter((v) => !wanted.values.includes(v));
    for (const value of removed) {
      this.manual.push(`Enum ${name} loses the value '${value}': PostgreSQL cannot drop an enum value, so write this migration by hand (create a new type, convert the columns, drop the old type).`);
    }
    const kept = wanted.values.filter((v) => before.values.includes(v));
    const keptBefore = before.values.filter((v) => wanted.values.includes(v));
    if (kept.join("\u0000") !== keptBefore.join("\u0000")) {
      this.manual.push(`Enum ${name} reorders its values: PostgreSQL cannot reorder enum values, so write this migration by hand.`);
      return [];
    }
    const ops: Operation[] = [];
    const present = new Set(before.values);
    wanted.values.forEach((value, index) => {
      if (present.has(value)) return;
      const op: Operation = { kind: "addEnumValue", name: wanted.name, value };
      const schema = schemaField(this.dialect, wanted.schema);
      if (schema !== undefined) op.schema = schema;
      const after = wanted.values.slice(0, index).reverse().find((v) => present.has(v));
      const next = wanted.values.slice(index + 1).find((v) => present.has(v));
      if (after !== undefined) {
        if (next !== undefined) op.after = after;
      } else if (next !== undefined) op.before = next;
      present.add(value);
      ops.push(op);
    });
    return ops;
  }

  private dropTriggersAndPolicies(kept: { from: TableModel; to: TableModel }[]): Operation[] {
    const ops: Operation[] = [];
    for (const { from, to } of kept) {
      for (const trigger of matchByName(from.triggers, to.triggers, sameTrigger).drop) ops.push(statements.dropTrigger(this.dialect, trigger, from));
      for (const policy of matchByName(from.policies, to.policies, samePolicy).drop) ops.push(statements.dropPolicy(policy, from));
    }
    return ops;
  }

  private createTriggersAndPolicies(kept: { from: TableModel; to: TableModel }[], created: TableModel[]): Operation[] {
    const ops: Operation[] = [];
    for (const { from, to } of kept) {
      for (const trigger of matchByName(from.triggers, to.triggers, sameTrigger).create) ops.push(statements.createTrigger(trigger));
      for (const policy of matchByName(from.policies, to.policies, samePolicy).create) ops.push(statements.createPolicy(policy, to));
    }
    for (const table of created) {
      if (table.rowLevelSecurity) ops.push(statements.setRowLevelSecurity(table, true));
      if (table.forceRowLevelSecurity) ops.push(statements.setForceRowLevelSecurity(table, true));
      for (const trigger of table.triggers) ops.push(statements.createTrigger(trigger));
      for (const policy of table.policies) ops.push(statements.createPolicy(policy, table));
    }
    return ops;
  }

  /**
   * Foreign keys on kept tables that are removed, changed, or point at a key that is rebuilt are
   * dropped before any table changes and added back after every table exists.
   */
  private foreignKeyChanges(
    kept: { from: TableModel; to: TableModel }[],
    tableChanges: { to: TableModel; changes: { rebuiltKeys: string[][] } }[],
  ) {
    const rebuilt = new Map<string, string[][]>();
    for (const { to, changes } of tableChanges) if (changes.rebuiltKeys.length > 0) rebuilt.set(this.key(to), changes.rebuiltKeys);
    const pointsAtRebuiltKey = (table: TableModel, fk: ForeignKeyModel) =>
      (rebuilt.get(this.fkTargetKey(table, fk)) ?? []).some((columns) => columns.join(",") === fk.refColumns.join(","));

    const drops: Operation[] = [];
    const creates: Operation[] = [];
    for (const { from, to } of kept) {
      const ref = this.ref(to);
      for (const fk of from.foreignKeys) {
        const match = this.dialect === "sqlite" ? to.foreignKeys.find((o) => sameForeignKey(fk, o, this.dialect, to.schema)) : to.foreignKeys.find((o) => o.name === fk.name);
        const changed = !match || !sameForeignKey(fk, match, this.dialect, to.schema) || pointsAtRebuiltKey(from, fk);
        if (!changed) continue;
        drops.push({ kind: "dropConstraint", table: ref, name: fk.name, type: "foreignKey", previous: foreignKeyToOp(fk, ref, this.dialect) });
      }
      for (const fk of to.foreignKeys) {
        const match = this.dialect === "sqlite" ? from.foreignKeys.find((o) => sameForeignKey(o, fk, this.dialect, to.schema)) : from.foreignKeys.find((o) => o.name === fk.name);
        const changed = !match || !sameForeignKey(match, fk, this.dialect, to.schema) || pointsAtRebuiltKey(from, match);
        if (changed) creates.push(foreignKeyToOp(fk, ref, this.dialect));
        // Added NOT VALID earlier and now wanted valid: check the existing rows, keep the key.
        else if (!match.validated && fk.validated) creates.push({ kind: "validateConstraint", table: ref, name: match.name });
      }
    }
    return { drops, creates };
  }

  /** Dropped tables, each after the tables that reference it; a cycle is cut by dropping a foreign key first. */
  private dropTables(dropped: TableModel[]): Operation[] {
    const byKey = new Map(dropped.map((t) => [this.key(t), structuredClone(t)]));
    const keys = [...byKey.keys()];
    const { order, broken } = dependencyOrder(keys, (key) => {
      const table = byKey.get(key)!;
      return table.foreignKeys.map((fk) => this.fkTargetKey(table, fk));
    });
    const ops: Operation[] = [];
    // In creation order `table` came before `target`, so when dropping, `target` goes first and
    // the foreign key from `table` onto it must go before that.
    for (const [tableKey, targetKey] of broken) {
      const table = byKey.get(tableKey)!;
      const ref = this.ref(table);
      const cut = table.foreignKeys.filter((fk) => this.fkTargetKey(table, fk) === targetKey);
      for (const fk of cut) ops.push({ kind: "dropConstraint", table: ref, name: fk.name, type: "foreignKey", previous: foreignKeyToOp(fk, ref, this.dialect) });
      table.foreignKeys = table.foreignKeys.filter((fk) => !cut.includes(fk));
    }
    for (const key of [...order].reverse()) {
      const table = byKey.get(key)!;
      for (const index of table.indexes) ops.push(dropIndexOp(this.dialect, index, table));
      ops.push({ kind: "dropTable", table: this.ref(table), previous: tableToCreateOp(table, this.dialect) });
    }
    return ops;
  }

  /** New tables in foreign-key order; a foreign key that closes a cycle is added after both tables exist. */
  private createTables(created: TableModel[]): { ops: Operation[]; deferredForeignKeys: Operation[] } {
    const byKey = new Map(created.map((t) => [this.key(t), t]));
    const { order, broken } = dependencyOrder([...byKey.keys()], (key) => {
      const table = byKey.get(key)!;
      return table.foreignKeys.map((fk) => this.fkTargetKey(table, fk));
    });
    const deferredNames = new Map<string, Set<string>>();
    const deferredForeignKeys: Operation[] = [];
    for (const [tableKey, targetKey] of broken) {
      const table = byKey.get(tableKey)!;
      for (const fk of table.foreignKeys) {
        if (this.fkTargetKey(table, fk) !== targetKey) continue;
        deferredForeignKeys.push(foreignKeyToOp(fk, this.ref(table), this.dialect));
        const names = deferredNames.get(tableKey) ?? new Set<string>();
        names.add(fk.name);
        deferredNames.set(tableKey, names);
      }
    }
    const ops: Operation[] = [];
    for (const key of order) {
      const table = byKey.get(key)!;
      ops.push(tableToCreateOp(table, this.dialect, deferredNames.get(key)));
      for (const index of table.indexes) ops.push(indexToOp(index, this.ref(table)));
    }
    return { ops, deferredForeignKeys };
  }

  private dropStandaloneObjects(): Operation[] {
    const ops: Operation[] = [];
    for (const sequence of this.from.sequences) {
      if (this.to.sequences.some((s) => this.key(s) === this.key(sequence))) continue;
      const op: Operation = { kind: "dropSequence", name: sequence.name, previous: createSequenceOp(this.dialect, sequence) };
      const schema = schemaField(this.dialect, sequence.schema);
      if (schema !== undefined) op.schema = schema;
      ops.push(op);
    }
    for (const item of this.from.enums) {
      if (this.to.enums.some((e) => this.key(e) === this.key(item))) continue;
      const op: Operation = { kind: "dropEnum", name: item.name, previous: createEnumOp(this.dialect, item) };
      const schema = schemaField(this.dialect, item.schema);
      if (schema !== undefined) op.schema = schema;
      ops.push(op);
    }
    for (const extension of this.from.extensions) {
      if (!this.to.extensions.some((e) => e.name === extension.name)) {
        ops.push({ kind: "dropExtension", name: extension.name, previous: createExtensionOp(this.dialect, extension) });
      }
    }
    for (const schema of this.from.schemas) {
      if (!this.to.schemas.includes(schema)) ops.push({ kind: "dropSchema", name: schema, previous: { kind: "createSchema", name: schema } });
    }
    return ops;
  }
}

function createExtensionOp(dialect: SchemaModel["dialect"], extension: ExtensionModel): CreateExtensionOp {
  const op: CreateExtensionOp = { kind: "createExtension", name: extension.name, ifNotExists: true };
  if (extension.schema !== undefined && extension.schema !== defaultSchema(dialect)) op.schema = extension.schema;
  if (extension.version !== undefined) op.version = extension.version;
  return op;
}

function createEnumOp(dialect: SchemaModel["dialect"], item: EnumModel): CreateEnumOp {
  const op: CreateEnumOp = { kind: "createEnum", name: item.name, values: [...item.values] };
  const schema = schemaField(dialect, item.schema);
  if (schema !== undefined) op.schema = schema;
  return op;
}

function createSequenceOp(dialect: SchemaModel["dialect"], sequence: SequenceModel): CreateSequenceOp {
  const op: CreateSequenceOp = { kind: "createSequence", name: sequence.name };
  const schema = schemaField(dialect, sequence.schema);
  if (schema !== undefined) op.schema = schema;
  if (sequence.start !== 1) op.start = sequence.start;
  if (sequence.increment !== 1) op.increment = sequence.increment;
  if (sequence.minValue !== undefined) op.minValue = sequence.minValue;
  if (sequence.maxValue !== undefined) op.maxValue = sequence.maxValue;
  if (sequence.cycle) op.cycle = true;
  if (sequence.ownedBy !== undefined) op.ownedBy = sequence.ownedBy;
  return op;
}

function functionKey(fn: FunctionModel): string {
  return `${fn.schema}.${fn.name}(${fn.signature})`;
}

/** Functions are replaced in place (CREATE OR REPLACE); only removed ones are dropped. */
function matchFunctions(from: FunctionModel[], to: FunctionModel[]): { create: FunctionModel[]; drop: FunctionModel[] } {
  const fromByKey = new Map(from.map((f) => [functionKey(f), f]));
  const toKeys = new Set(to.map(functionKey));
  return {
    create: to.filter((fn) => {
      const before = fromByKey.get(functionKey(fn));
      return !before || !sameFunction(before, fn);
    }),
    drop: from.filter((fn) => !toKeys.has(functionKey(fn))),
  };
}

/** Comments on functions that stay (a replaced function keeps its comment, so it is compared too). */
function functionComments(dialect: SchemaModel["dialect"], from: FunctionModel[], to: FunctionModel[]): Operation[] {
  const fromByKey = new Map(from.map((f) => [functionKey(f), f]));
  const ops: Operation[] = [];
  for (const fn of to) {
    const before = fromByKey.get(functionKey(fn))?.comment ?? null;
    const wanted = fn.comment ?? null;
    if (before === wanted) continue;
    const target = { type: "function" as const, name: fn.name, signature: fn.signature };
    const schema = schemaField(dialect, fn.schema);
    ops.push({ kind: "setComment", target: schema === undefined ? target : { ...target, schema }, comment: wanted, previous: before });
  }
  return ops;
}

/**
 * The operations that turn `from` into `to`. Renames the user answered come first; tables and
 * columns that look renamed but were not answered are reported in `renameCandidates` and held
 * back (neither dropped nor added) unless `allowDrop` is set.
 */
export function diffSchemas(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): DiffResult {
  if (from.dialect !== to.dialect) {
    throw new UsageError(`Cannot compare a ${from.dialect} schema with a ${to.dialect} schema.`);
  }
  const resolution = resolveRenames(normalizeModel(from), normalizeModel(to), options.renames ?? {}, options.allowDrop ?? false);
  const diff = new SchemaDiff(resolution.from, resolution.to);
  let operations = [...resolution.operations, ...diff.run()];
  if (to.dialect === "sqlite") operations = batchSqliteRebuilds(operations, resolution.from);
  return { operations, renameCandidates: resolution.candidates, manual: diff.manual };
}
