/**
 * Renames in a diff. A table or column that disappears while a similar one appears is never
 * silently turned into drop plus add: it is either renamed (the user said so), dropped and added
 * (the user allowed drops), or held back and reported as a candidate for the user to answer.
 */
import { UsageError } from "../errors.js";
import type { Operation } from "../ops/types.js";
import { applyOperations } from "./apply.js";
import type { ColumnModel, SchemaModel, TableModel } from "./model.js";
import { normalizeModel } from "./normalize.js";
import { displayName, objectKey, tableRef } from "./refs.js";

export interface RenameCandidate {
  kind: "table" | "column";
  /** The table that holds the column (column candidates), as named in the desired schema. */
  table?: string;
  from: string;
  to: string;
  /** A sentence for the user, with the flag that answers it. */
  message: string;
}

export interface RenameAnswers {
  /** Old table name → new table name ("users" or "app.users"). */
  tables?: Record<string, string>;
  /** "table.old_column" → "new_column". */
  columns?: Record<string, string>;
}

export interface RenameResolution {
  /** renameTable / alterColumn(newName) operations to run first. */
  operations: Operation[];
  /** The current model with the renames applied. */
  from: SchemaModel;
  /** The desired model with unanswered candidates held back (neither dropped nor added). */
  to: SchemaModel;
  candidates: RenameCandidate[];
}

function tableKey(model: SchemaModel, table: TableModel): string {
  return objectKey(model.dialect, table.schema, table.name);
}

function findTable(model: SchemaModel, name: string): TableModel | undefined {
  const dot = model.dialect === "mysql" ? -1 : name.indexOf(".");
  const schema = dot > 0 ? name.slice(0, dot) : undefined;
  const bare = dot > 0 ? name.slice(dot + 1) : name;
  const matches = model.tables.filter((t) => t.name === bare && (schema === undefined || t.schema === schema));
  return matches.length === 1 ? matches[0] : matches.find((t) => objectKey(model.dialect, t.schema, t.name) === objectKey(model.dialect, schema, bare));
}

function qualifiedName(model: SchemaModel, schema: string, name: string): string {
  return model.dialect === "mysql" ? name : `${schema}.${name}`;
}

function explicitTableRenames(from: SchemaModel, to: SchemaModel, answers: Record<string, string>): Operation[] {
  const operations: Operation[] = [];
  for (const [oldName, newName] of Object.entries(answers)) {
    const source = findTable(from, oldName);
    if (!source) throw new UsageError(`Cannot rename table ${oldName}: it does not exist in the current schema.`);
    const bareNew = newName.includes(".") && from.dialect !== "mysql" ? newName.slice(newName.indexOf(".") + 1) : newName;
    const wanted = newName.includes(".") ? newName : qualifiedName(from, source.schema, bareNew);
    const target = findTable(to, wanted) ?? findTable(to, bareNew);
    if (!target) throw new UsageError(`Cannot rename table ${oldName} to ${newName}: ${newName} is not in the desired schema.`);
    if (findTable(from, wanted)) throw new UsageError(`Cannot rename table ${oldName} to ${newName}: a table named ${newName} already exists.`);
    if (findTable(to, qualifiedName(to, source.schema, source.name)))
      throw new UsageError(`Cannot rename table ${oldName}: it is still in the desired schema.`);
    if (target.schema !== source.schema && from.dialect !== "mysql")
      throw new UsageError(`Cannot rename table ${oldName} to ${newName}: renaming does not move a table to another schema.`);
    operations.push({ kind: "renameTable", table: tableRef(from.dialect, source.schema, source.name), newName: target.name });
  }
  return operations;
}

function explicitColumnRenames(from: SchemaModel, to: SchemaModel, answers: Record<string, string>, tableAnswers: Record<string, string>): Operation[] {
  const operations: Operation[] = [];
  for (const [qualifiedOld, newName] of Object.entries(answers)) {
    const dot = qualifiedOld.lastIndexOf(".");
    if (dot <= 0) throw new UsageError(`Column rename ${qualifiedOld}=${newName} must name the table: table.column=new_name.`);
    // The table may be named as it was or as it is after its own rename.
    const tableName = tableAnswers[qualifiedOld.slice(0, dot)] ?? qualifiedOld.slice(0, dot);
    const oldColumn = qualifiedOld.slice(dot + 1);
    const newColumn = newName.includes(".") ? newName.slice(newName.lastIndexOf(".") + 1) : newName;
    const source = findTable(from, tableName);
    const target = findTable(to, tableName);
    if (!source || !target) throw new UsageError(`Cannot rename column ${qualifiedOld}: table ${tableName} is not in both schemas.`);
    if (!source.columns.some((c) => c.name === oldColumn)) throw new UsageError(`Cannot rename column ${qualifiedOld}: the table has no column ${oldColumn}.`);
    if (!target.columns.some((c) => c.name === newColumn)) throw new UsageError(`Cannot rename column ${qualifiedOld} to ${newColumn}: ${newColumn} is not in the desired schema.`);
    if (source.columns.some((c) => c.name === newColumn)) throw new UsageError(`Cannot rename column ${qualifiedOld} to ${newColumn}: the column already exists.`);
    operations.push({
      kind: "alterColumn",
      table: tableRef(from.dialect, source.schema, source.name),
      column: oldColumn,
      newName: newColumn,
      previous: { name: oldColumn },
    });
  }
  return operations;
}

function sameShape(a: TableModel, b: TableModel): boolean {
  return a.columns.length === b.columns.length && a.columns.every((c, i) => c.type === b.columns[i]!.type);
}

function sameColumnShape(a: ColumnModel, b: ColumnModel): boolean {
  return a.type === b.type && a.nullable === b.nullable;
}

/**
 * Applies the answered renames to `from`, finds the unanswered ones, and (unless drops are allowed)
 * holds those back so that the diff neither drops nor adds them.
 */
export function resolveRenames(fromInput: SchemaModel, toInput: SchemaModel, answers: RenameAnswers, allowDrop: boolean): RenameResolution {
  const dialect = fromInput.dialect;
  const tableOps = explicitTableRenames(fromInput, toInput, answers.tables ?? {});
  // Applying no operations would only copy the model: skip it, as most diffs rename nothing.
  const afterTables = tableOps.length > 0 ? applyOperations(fromInput, tableOps) : fromInput;
  const columnOps = explicitColumnRenames(afterTables, toInput, answers.columns ?? {}, answers.tables ?? {});
  const from = columnOps.length > 0 ? applyOperations(afterTables, columnOps) : afterTables;
  let to = toInput;
  let copied = false;
  /** The desired model is copied only when something has to be held back in it. */
  const editableTo = (): SchemaModel => {
    if (!copied) {
      to = structuredClone(toInput);
      copied = true;
    }
    return to;
  };
  const candidates: RenameCandidate[] = [];

  const toKeys = new Set(toInput.tables.map((t) => tableKey(toInput, t)));
  const fromKeys = new Set(from.tables.map((t) => tableKey(from, t)));
  const removed = from.tables.filter((t) => !toKeys.has(tableKey(from, t)));
  const added = toInput.tables.filter((t) => !fromKeys.has(tableKey(toInput, t)));
  const heldTables = new Set<TableModel>();
  for (const gone of removed) {
    const similar = added.find((candidate) => !heldTables.has(candidate) && candidate.schema === gone.schema && sameShape(gone, candidate));
    if (!similar) continue;
    heldTables.add(similar);
    const oldName = displayName(dialect, gone.schema, gone.name);
    const newName = displayName(dialect, similar.schema, similar.name);
    candidates.push({
      kind: "table",
      from: oldName,
      to: newName,
      message: `Table ${oldName} disappears and ${newName} appears with the same columns: pass --rename ${oldName}=${newName} to rename it, or --allow-drop to drop and recreate it.`,
    });
    if (!allowDrop) {
      const target = editableTo();
      target.tables = target.tables.filter((t) => tableKey(target, t) !== tableKey(toInput, similar));
      target.tables.push(structuredClone(gone));
    }
  }

  const fromByKey = new Map(from.tables.map((t) => [tableKey(from, t), t]));
  for (const target of toInput.tables) {
    const source = fromByKey.get(tableKey(to, target));
    if (!source) continue;
    const gone = source.columns.filter((c) => !target.columns.some((t) => t.name === c.name));
    const appeared = target.columns.filter((c) => !source.columns.some((s) => s.name === c.name));
    const taken = new Set<ColumnModel>();
    for (const column of gone) {
      const similar = appeared.find((candidate) => !taken.has(candidate) && sameColumnShape(column, candidate));
      if (!similar) continue;
      taken.add(similar);
      const tableName = displayName(dialect, target.schema, target.name);
      candidates.push({
        kind: "column",
        table: tableName,
        from: column.name,
        to: similar.name,
        message: `Column ${tableName}.${column.name} disappears and ${similar.name} appears with the same type: pass --rename ${tableName}.${column.name}=${similar.name} to rename it, or --allow-drop to drop it and add the new one.`,
      });
      if (!allowDrop) {
        const held = editableTo().tables.find((t) => tableKey(to, t) === tableKey(toInput, target))!;
        held.columns = held.columns.filter((c) => c.name !== similar.name);
        held.columns.push(structuredClone(column));
      }
    }
  }

  return {
    operations: [...tableOps, ...columnOps],
    from,
    to: copied ? normalizeModel(to) : toInput,
    candidates: allowDrop ? [] : candidates,
  };
}

/** The answers that undo `answers`: for the downgrade of a revision that renamed. */
export function invertRenames(answers: RenameAnswers): RenameAnswers {
  const tables = Object.fromEntries(Object.entries(answers.tables ?? {}).map(([from, to]) => [to, from]));
  const columns: Record<string, string> = {};
  for (const [qualified, to] of Object.entries(answers.columns ?? {})) {
    const dot = qualified.lastIndexOf(".");
    const table = qualified.slice(0, dot);
    columns[`${answers.tables?.[table] ?? table}.${to}`] = qualified.slice(dot + 1);
  }
  return { tables, columns };
}
