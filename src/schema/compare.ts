/**
 * Semantic equality of model objects: what counts as "changed" for the diff. Spellings that mean
 * the same to the database (type aliases, redundant casts, default sort order, spacing) are equal.
 */
import type {
  CheckModel,
  ColumnModel,
  ExcludeModel,
  ForeignKeyModel,
  FunctionModel,
  IndexKeyModel,
  IndexModel,
  PolicyModel,
  SequenceModel,
  TriggerModel,
  UniqueModel,
  ViewModel,
} from "./model.js";
import { type DialectName, definitionKey, expressionKey, normalizeDefault, normalizeType, triggerKey, viewKey } from "./normalize.js";
import { defaultSchema } from "./refs.js";

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

export function sameType(a: string, b: string, dialect: DialectName): boolean {
  return normalizeType(a, dialect) === normalizeType(b, dialect);
}

export function sameDefault(a: string | undefined, b: string | undefined, type: string): boolean {
  const left = normalizeDefault(a, type);
  const right = normalizeDefault(b, type);
  if (left === right) return true;
  if (left === undefined || right === undefined) return false;
  return expressionKey(left) === expressionKey(right);
}

export function sameIdentity(a: ColumnModel["identity"], b: ColumnModel["identity"]): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.always === b.always && (a.start ?? 1) === (b.start ?? 1) && (a.increment ?? 1) === (b.increment ?? 1);
}

export function sameExpression(a: string | undefined, b: string | undefined): boolean {
  return expressionKey(a) === expressionKey(b);
}

function keyOrder(key: IndexKeyModel): string {
  const order = key.order ?? "ASC";
  // NULLS LAST is the default for ascending keys, NULLS FIRST for descending ones.
  const nulls = key.nulls ?? (order === "ASC" ? "LAST" : "FIRST");
  return `${order} ${nulls}`;
}

function indexKeyId(key: IndexKeyModel): string {
  const target = key.column !== undefined ? `c:${key.column}` : `e:${expressionKey(key.expression) ?? ""}`;
  return [target, key.opclass ?? "", keyOrder(key), key.collation ?? ""].join("|");
}

export function sameIndex(a: IndexModel, b: IndexModel): boolean {
  return (
    a.unique === b.unique &&
    a.method === b.method &&
    sameList(a.keys.map(indexKeyId), b.keys.map(indexKeyId)) &&
    sameExpression(a.where, b.where) &&
    sameList(a.include, b.include) &&
    (a.nullsNotDistinct ?? false) === (b.nullsNotDistinct ?? false)
  );
}

export function sameUnique(a: UniqueModel, b: UniqueModel): boolean {
  return sameList(a.columns, b.columns) && (a.nullsNotDistinct ?? false) === (b.nullsNotDistinct ?? false);
}

export function sameForeignKey(a: ForeignKeyModel, b: ForeignKeyModel, dialect: DialectName, tableSchema: string): boolean {
  const schemaOf = (fk: ForeignKeyModel) => (dialect === "mysql" ? "" : (fk.refSchema ?? defaultSchema(dialect) ?? tableSchema));
  return (
    sameList(a.columns, b.columns) &&
    schemaOf(a) === schemaOf(b) &&
    a.refTable === b.refTable &&
    sameList(a.refColumns, b.refColumns) &&
    sameAction(a.onDelete, b.onDelete, dialect) &&
    sameAction(a.onUpdate, b.onUpdate, dialect) &&
    a.deferrable === b.deferrable &&
    a.initiallyDeferred === b.initiallyDeferred
  );
}

/** MySQL checks foreign keys immediately, so NO ACTION is RESTRICT there (and it reports RESTRICT). */
function sameAction(a: ForeignKeyModel["onDelete"], b: ForeignKeyModel["onDelete"], dialect: DialectName): boolean {
  if (dialect !== "mysql") return a === b;
  const plain = (action: ForeignKeyModel["onDelete"]) => (action === "NO ACTION" ? "RESTRICT" : action);
  return plain(a) === plain(b);
}

export function sameCheck(a: CheckModel, b: CheckModel): boolean {
  return sameExpression(a.expression, b.expression);
}

export function sameExclude(a: ExcludeModel, b: ExcludeModel): boolean {
  return (
    a.method === b.method &&
    sameExpression(a.where, b.where) &&
    a.elements.length === b.elements.length &&
    a.elements.every((e, i) => sameExpression(e.expression, b.elements[i]!.expression) && e.operator === b.elements[i]!.operator)
  );
}

export function sameTrigger(a: TriggerModel, b: TriggerModel): boolean {
  return triggerKey(a.definition) === triggerKey(b.definition);
}

export function samePolicy(a: PolicyModel, b: PolicyModel): boolean {
  const roles = (p: PolicyModel) => (p.roles.length === 0 ? ["public"] : [...p.roles].sort());
  return (
    a.command === b.command &&
    a.permissive === b.permissive &&
    sameList(roles(a), roles(b)) &&
    sameExpression(a.using, b.using) &&
    sameExpression(a.withCheck, b.withCheck)
  );
}

export function sameViewDefinition(a: ViewModel, b: ViewModel): boolean {
  return a.materialized === b.materialized && viewKey(a.definition) === viewKey(b.definition);
}

export function sameFunction(a: FunctionModel, b: FunctionModel): boolean {
  return a.kind === b.kind && definitionKey(a.definition) === definitionKey(b.definition);
}

export function sameSequence(a: SequenceModel, b: SequenceModel): boolean {
  return (
    a.start === b.start &&
    a.increment === b.increment &&
    sameBound(a.minValue, b.minValue, (value) => value === (a.increment > 0 ? 1 : -maxBigint)) &&
    sameBound(a.maxValue, b.maxValue, (value) => value >= maxInteger || (a.increment < 0 && value === -1)) &&
    a.cycle === b.cycle &&
    a.ownedBy === b.ownedBy
  );
}

const maxInteger = 2147483647;
const maxBigint = 9223372036854775807;

/** An unset bound equals the database's own default for it. */
function sameBound(a: number | undefined, b: number | undefined, isDefault: (value: number) => boolean): boolean {
  if (a === undefined && b === undefined) return true;
  if (a === undefined) return isDefault(b!);
  if (b === undefined) return isDefault(a);
  return a === b;
}
