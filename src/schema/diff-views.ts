/**
 * Views in a diff: removed or changed views are dropped before the tables change and created
 * again afterwards, in dependency order, with what reads them.
 */
import type { CreateViewOp, Operation } from "../ops/types.js";
import { sameViewDefinition } from "./compare.js";
import { indexToOp } from "./convert.js";
import { dropIndexOp, matchByName } from "./diff-tables.js";
import type { SchemaModel, TableModel, ViewModel } from "./model.js";
import { dependencyOrder, mentionedNames } from "./order.js";
import { objectKey, schemaField, tableRef } from "./refs.js";

export class ViewDiff {
  private readonly dialect: SchemaModel["dialect"];

  constructor(
    private readonly from: SchemaModel,
    private readonly to: SchemaModel,
  ) {
    this.dialect = to.dialect;
  }

  private key(item: { schema: string; name: string }): string {
    return objectKey(this.dialect, item.schema, item.name);
  }

  private ref(item: { schema: string; name: string }) {
    return tableRef(this.dialect, item.schema, item.name);
  }

  /**
   * Views removed or changed are dropped (dependents first) before tables change, and created
   * again afterwards (dependencies first). A view that reads a rebuilt view, a dropped table or a
   * column that is dropped or retyped is rebuilt too, as the database would refuse the change.
   */
  changes(
    droppedTables: TableModel[],
    tableChanges: { from: TableModel; changes: { reshapedColumns: string[] } }[],
  ): { drops: Operation[]; creates: Operation[] } {
    const fromViews = new Map(this.from.views.map((v) => [this.key(v), v]));
    const toViews = new Map(this.to.views.map((v) => [this.key(v), v]));
    const mentions = new Map<ViewModel, Set<string>>();
    const mentionsOf = (view: ViewModel) => {
      let names = mentions.get(view);
      if (!names) mentions.set(view, (names = mentionedNames(view.definition)));
      return names;
    };
    const mentionsObject = (view: ViewModel, item: { schema: string; name: string }) => {
      const names = mentionsOf(view);
      return names.has(item.name) || names.has(`${item.schema}.${item.name}`);
    };

    const rebuild = new Set<string>();
    for (const [key, view] of fromViews) {
      const wanted = toViews.get(key);
      if (!wanted || !sameViewDefinition(view, wanted)) rebuild.add(key);
      else if (droppedTables.some((t) => mentionsObject(view, t))) rebuild.add(key);
      else if (tableChanges.some(({ from, changes }) => changes.reshapedColumns.length > 0 && mentionsObject(view, from) && changes.reshapedColumns.some((c) => mentionsOf(view).has(c))))
        rebuild.add(key);
    }
    // Anything reading a rebuilt view is rebuilt too, until nothing new is added.
    const viewKeys = [...fromViews.keys()];
    const fromDeps = (key: string) => viewKeys.filter((other) => other !== key && mentionsObject(fromViews.get(key)!, fromViews.get(other)!));
    const readers = new Map<string, string[]>();
    for (const key of viewKeys) for (const dep of fromDeps(key)) readers.set(dep, [...(readers.get(dep) ?? []), key]);
    const queue = [...rebuild];
    while (queue.length > 0) {
      for (const reader of readers.get(queue.pop()!) ?? []) {
        if (rebuild.has(reader)) continue;
        rebuild.add(reader);
        queue.push(reader);
      }
    }

    const drops: Operation[] = [];
    const dropOrder = dependencyOrder(viewKeys.filter((k) => rebuild.has(k)), fromDeps).order.reverse();
    for (const key of dropOrder) {
      const view = fromViews.get(key)!;
      // Dropped explicitly so that the reverse recreates them with the view.
      for (const index of view.indexes) drops.push(dropIndexOp(this.dialect, index, view));
      if (view.comment !== undefined) drops.push(this.viewCommentOp({ ...view, comment: undefined }, view.comment));
      drops.push(this.dropViewOp(view));
    }

    const toKeys = [...toViews.keys()];
    const createKeys = toKeys.filter((key) => !fromViews.has(key) || rebuild.has(key));
    const toDeps = (key: string) => toKeys.filter((other) => other !== key && mentionsObject(toViews.get(key)!, toViews.get(other)!));
    const creates: Operation[] = [];
    for (const key of dependencyOrder(createKeys, toDeps).order) creates.push(...this.createViewOps(toViews.get(key)!));
    // Materialized view indexes and comments on views that are kept as they are.
    for (const [key, wanted] of toViews) {
      const before = fromViews.get(key);
      if (!before || rebuild.has(key)) continue;
      const indexes = matchByName(before.indexes, wanted.indexes, (a, b) => JSON.stringify(indexToOp(a, "")) === JSON.stringify(indexToOp(b, "")));
      for (const index of indexes.drop) drops.push(dropIndexOp(this.dialect, index, before));
      for (const index of indexes.create) creates.push(indexToOp(index, this.ref(wanted)));
      if ((before.comment ?? null) !== (wanted.comment ?? null)) creates.push(this.viewCommentOp(wanted, before.comment ?? null));
    }
    return { drops, creates };
  }

  private createViewOp(view: ViewModel): CreateViewOp {
    const op: CreateViewOp = { kind: "createView", name: view.name, definition: view.definition };
    const schema = schemaField(this.dialect, view.schema);
    if (schema !== undefined) op.schema = schema;
    if (view.materialized) op.materialized = true;
    return op;
  }

  private dropViewOp(view: ViewModel): Operation {
    const op: Operation = { kind: "dropView", name: view.name, previous: this.createViewOp(view) };
    const schema = schemaField(this.dialect, view.schema);
    if (schema !== undefined) op.schema = schema;
    if (view.materialized) op.materialized = true;
    return op;
  }

  private viewCommentOp(view: Omit<ViewModel, "comment"> & { comment?: string | undefined }, previous: string | null): Operation {
    const target = { type: view.materialized ? ("materializedView" as const) : ("view" as const), name: view.name };
    const schema = schemaField(this.dialect, view.schema);
    return { kind: "setComment", target: schema === undefined ? target : { ...target, schema }, comment: view.comment ?? null, previous };
  }

  private createViewOps(view: ViewModel): Operation[] {
    const ops: Operation[] = [this.createViewOp(view)];
    for (const index of view.indexes) ops.push(indexToOp(index, this.ref(view)));
    if (view.comment !== undefined) ops.push(this.viewCommentOp(view, null));
    return ops;
  }
}
