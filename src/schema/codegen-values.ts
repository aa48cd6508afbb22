/**
 * Prints plain values as TypeScript source: short values on one line, longer ones broken over
 * several, object keys unquoted where they can be, and SQL expressions as sql`...` templates.
 */
import { isSqlExpression } from "../ops/types.js";

const maxLineWidth = 100;
const indentUnit = "  ";

function escapeTemplate(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

function printString(value: string): string {
  // Multi-line SQL (view and function bodies) stays readable as a template literal.
  if (value.includes("\n")) return "`" + escapeTemplate(value) + "`";
  // Double quotes, as the rest of the project writes them.
  return JSON.stringify(value);
}

function printKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : printString(key);
}

function printSql(text: string): string {
  return "sql`" + escapeTemplate(text) + "`";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Values printed before any line breaking. */
function printInline(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string") return printString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isSqlExpression(value)) return printSql(value.text);
  if (Array.isArray(value)) return `[${value.map(printInline).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, v]) => `${printKey(k)}: ${printInline(v)}`).join(", ")} }`;
  }
  throw new TypeError(`cannot print a ${typeof value} as source`);
}

/** `value` as source text, starting at column `column` of a line indented by `indent`. */
export function printValue(value: unknown, indent = "", column = indent.length): string {
  const inline = printInline(value);
  if (column + inline.length <= maxLineWidth && !inline.includes("\n")) return inline;
  const inner = indent + indentUnit;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => `${inner}${printValue(item, inner)},`).join("\n")}\n${indent}]`;
  }
  if (isPlainObject(value) && !isSqlExpression(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const lines = entries.map(([k, v]) => {
      const head = `${inner}${printKey(k)}: `;
      return `${head}${printValue(v, inner, head.length)},`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  return inline;
}

/** A call `name(arg1, arg2, ...)`, broken over lines when it does not fit. */
export function printCall(callee: string, args: unknown[], indent: string): string {
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  const inline = `${callee}(${args.map(printInline).join(", ")})`;
  if (indent.length + inline.length <= maxLineWidth) return inline;
  // Keep leading scalar arguments on the first line; the last object or array opens a block.
  const head = args.slice(0, -1).map(printInline);
  const last = args[args.length - 1];
  const opening = `${callee}(${head.map((h) => h + ", ").join("")}`;
  const lastText = printValue(last, indent, indent.length + opening.length);
  const candidate = `${opening}${lastText})`;
  if (candidate.split("\n")[0]!.length + indent.length <= maxLineWidth) return candidate;
  const inner = indent + indentUnit;
  return `${callee}(\n${args.map((a) => `${inner}${printValue(a, inner)},`).join("\n")}\n${indent})`;
}

/** True when `value` holds an SQL expression anywhere (the file then imports `sql`). */
export function containsSql(value: unknown): boolean {
  if (isSqlExpression(value)) return true;
  if (Array.isArray(value)) return value.some(containsSql);
  if (isPlainObject(value)) return Object.values(value).some(containsSql);
  return false;
}
