/**
 * Objects that have no structured operation (functions, triggers, policies, row-level security,
 * sequence options) are changed with raw statements. The model already holds their full CREATE
 * text where the database prints one; this module writes the rest.
 */
import type { ExecuteOp } from "../ops/types.js";
import type { FunctionModel, PolicyModel, SequenceModel, TableModel, TriggerModel } from "./model.js";
import type { DialectName } from "./normalize.js";
import { defaultSchema } from "./refs.js";

function quote(dialect: DialectName, name: string): string {
  if (dialect === "mysql") return "`" + name.replaceAll("`", "``") + "`";
  return '"' + name.replaceAll('"', '""') + '"';
}

function qualified(dialect: DialectName, schema: string | undefined, name: string): string {
  if (dialect === "mysql" || schema === undefined || schema === defaultSchema(dialect)) return quote(dialect, name);
  return `${quote(dialect, schema)}.${quote(dialect, name)}`;
}

function execute(sql: string): ExecuteOp {
  return { kind: "execute", sql };
}

function withSemicolon(text: string): string {
  const trimmed = text.trim();
  return trimmed.endsWith(";") ? trimmed : trimmed + ";";
}

export function createFunction(fn: FunctionModel): ExecuteOp {
  return execute(withSemicolon(fn.definition));
}

export function dropFunction(dialect: DialectName, fn: FunctionModel): ExecuteOp {
  const keyword = fn.kind === "procedure" ? "PROCEDURE" : "FUNCTION";
  const signature = dialect === "postgresql" ? `(${fn.signature})` : "";
  return execute(`DROP ${keyword} ${qualified(dialect, fn.schema, fn.name)}${signature};`);
}

export function createTrigger(trigger: TriggerModel): ExecuteOp {
  return execute(withSemicolon(trigger.definition));
}

export function dropTrigger(dialect: DialectName, trigger: TriggerModel, table: TableModel): ExecuteOp {
  if (dialect === "postgresql") return execute(`DROP TRIGGER ${quote(dialect, trigger.name)} ON ${qualified(dialect, table.schema, table.name)};`);
  return execute(`DROP TRIGGER ${quote(dialect, trigger.name)};`);
}

export function createPolicy(policy: PolicyModel, table: TableModel): ExecuteOp {
  const parts = [`CREATE POLICY ${quote("postgresql", policy.name)} ON ${qualified("postgresql", table.schema, table.name)}`];
  if (!policy.permissive) parts.push("AS RESTRICTIVE");
  if (policy.command !== "ALL") parts.push(`FOR ${policy.command}`);
  const roles = policy.roles.filter((role) => role !== "public");
  if (roles.length > 0) parts.push(`TO ${roles.map((role) => (/^[a-z_][a-z0-9_]*$/.test(role) ? role : quote("postgresql", role))).join(", ")}`);
  if (policy.using !== undefined) parts.push(`USING (${policy.using})`);
  if (policy.withCheck !== undefined) parts.push(`WITH CHECK (${policy.withCheck})`);
  return execute(parts.join(" ") + ";");
}

export function dropPolicy(policy: PolicyModel, table: TableModel): ExecuteOp {
  return execute(`DROP POLICY ${quote("postgresql", policy.name)} ON ${qualified("postgresql", table.schema, table.name)};`);
}

export function setRowLevelSecurity(table: TableModel, enabled: boolean): ExecuteOp {
  return execute(`ALTER TABLE ${qualified("postgresql", table.schema, table.name)} ${enabled ? "ENABLE" : "DISABLE"} ROW LEVEL SECURITY;`);
}

export function setForceRowLevelSecurity(table: TableModel, forced: boolean): ExecuteOp {
  return execute(`ALTER TABLE ${qualified("postgresql", table.schema, table.name)} ${forced ? "FORCE" : "NO FORCE"} ROW LEVEL SECURITY;`);
}

/** ALTER SEQUENCE with the options that differ; a sequence's current value survives. */
export function alterSequence(from: SequenceModel, to: SequenceModel): ExecuteOp {
  const options: string[] = [];
  if (from.increment !== to.increment) options.push(`INCREMENT BY ${to.increment}`);
  if (from.minValue !== to.minValue) options.push(to.minValue === undefined ? "NO MINVALUE" : `MINVALUE ${to.minValue}`);
  if (from.maxValue !== to.maxValue) options.push(to.maxValue === undefined ? "NO MAXVALUE" : `MAXVALUE ${to.maxValue}`);
  if (from.start !== to.start) options.push(`START WITH ${to.start}`);
  if (from.cycle !== to.cycle) options.push(to.cycle ? "CYCLE" : "NO CYCLE");
  if (from.ownedBy !== to.ownedBy) options.push(to.ownedBy === undefined ? "OWNED BY NONE" : `OWNED BY ${to.ownedBy.split(".").map((p) => quote("postgresql", p)).join(".")}`);
  return execute(`ALTER SEQUENCE ${qualified("postgresql", to.schema, to.name)} ${options.join(" ")};`);
}
