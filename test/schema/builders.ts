/** Small builders for hand-written schema models in diff tests. */
import type { ColumnModel, ForeignKeyModel, IndexModel, SchemaModel, TableModel } from "../../src/schema/model.js";
import { emptySchema, emptyTable } from "../../src/schema/model.js";

export function col(name: string, type: string, extra: Partial<ColumnModel> = {}): ColumnModel {
  return { name, type, nullable: true, ...extra };
}

export function tbl(name: string, columns: ColumnModel[], extra: Partial<TableModel> = {}): TableModel {
  return { ...emptyTable("public", name, columns), ...extra };
}

export function withId(name: string, columns: ColumnModel[] = [], extra: Partial<TableModel> = {}): TableModel {
  return tbl(name, [col("id", "integer", { nullable: false }), ...columns], { primaryKey: { name: `${name}_pkey`, columns: ["id"] }, ...extra });
}

export function fk(name: string, columns: string[], refTable: string, refColumns = ["id"], extra: Partial<ForeignKeyModel> = {}): ForeignKeyModel {
  return {
    name,
    columns,
    refSchema: "public",
    refTable,
    refColumns,
    onDelete: "NO ACTION",
    onUpdate: "NO ACTION",
    deferrable: false,
    initiallyDeferred: false,
    validated: true,
    ...extra,
  };
}

export function idx(name: string, columns: string[], extra: Partial<IndexModel> = {}): IndexModel {
  return { name, unique: false, method: "btree", keys: columns.map((column) => ({ column })), include: [], ...extra };
}

export function model(parts: Partial<SchemaModel> = {}): SchemaModel {
  return { ...emptySchema("postgresql"), ...parts };
}
