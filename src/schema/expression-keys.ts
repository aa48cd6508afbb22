/**
 * Comparison keys for SQL text the database stores in its own spelling: check and index
 * expressions, predicates, view and function bodies, trigger statements. Two texts with the same
 * key mean the same thing to the database (within what can be told without parsing).
 */
import { collapseWhitespace, endOfQuoted, lowerOutsideQuotes, stripOuterParens } from "./sql-text.js";

/**
 * A comparison key for an SQL expression (check, predicate, index expression): outer parentheses,
 * spacing, redundant literal casts and keyword case do not count.
 */
export function expressionKey(expression: string | undefined): string | undefined {
  if (expression === undefined) return undefined;
  let text = collapseWhitespace(unquoteSimpleIdentifiers(stripOuterParens(expression).replace(/;\s*$/, "")));
  text = stripLiteralCastsIn(text);
  // `title::text` on a varchar column: PostgreSQL spells out the implicit cast it applies.
  text = text.replace(/([\w"]+)::(?:text|character varying|varchar)\b(?!\[)/gi, "$1");
  text = expandBetween(text);
  text = text.replace(/\(\s*/g, "(").replace(/\s*\)/g, ")").replace(/\s*,\s*/g, ", ");
  return lowerOutsideQuotes(stripRedundantParens(text));
}

/** `\`weight\`` (MySQL) and `"weight"` name the same column as `weight` when the name needs no quotes. */
function unquoteSimpleIdentifiers(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") {
      const end = endOfQuoted(text, i);
      out += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (ch === '"' || ch === "`") {
      const end = text.indexOf(ch, i + 1);
      const inner = end < 0 ? "" : text.slice(i + 1, end);
      if (end > 0 && /^[a-z_][a-z0-9_]*$/.test(inner)) {
        out += inner;
        i = end;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

const typeName = String.raw`(?:"[^"]+"|[a-z_][\w.]*)(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone))?(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*`;
const literalCast = new RegExp(String.raw`('(?:[^']|'')*'|\(-?\d+(?:\.\d+)?\)|\b\d+(?:\.\d+)?)::` + typeName, "gi");

/**
 * `'open'::alert_status`, `(0)::numeric`, `0::numeric`: the database adds these casts when it
 * stores an expression; the literal alone means the same where it is compared.
 */
function stripLiteralCastsIn(text: string): string {
  let previous: string;
  do {
    previous = text;
    text = text.replace(literalCast, (_match, literal: string) => (literal.startsWith("(") ? literal.slice(1, -1) : literal));
  } while (text !== previous);
  return text;
}

/** PostgreSQL stores `x BETWEEN a AND b` as `x >= a AND x <= b`. */
function expandBetween(text: string): string {
  const operand = String.raw`(?:'(?:[^']|'')*'|[\w.]+(?:\([^()]*\))?)`;
  const pattern = new RegExp(String.raw`(${operand})\s+between\s+(${operand})\s+and\s+(${operand})`, "gi");
  return text.replace(pattern, (_m, subject: string, low: string, high: string) => `${subject} >= ${low} AND ${subject} <= ${high}`);
}

/** Parentheses around a single identifier or literal (`(price) > (0)`) add nothing. */
function stripRedundantParens(text: string): string {
  return text.replace(/(^|[\s(,=<>!])\(([\w.]+|'(?:[^']|'')*')\)/g, "$1$2");
}

/** A comparison key for a view or function body: whitespace and a trailing semicolon do not count. */
export function definitionKey(definition: string): string {
  // Dollar-quote tags ($function$, $body$) are a spelling choice, not part of the body.
  const text = definition.trim().replace(/;\s*$/, "").replace(/\$[A-Za-z_]*\$/g, "$$$$");
  const key = stripLiteralCastsIn(collapseWhitespace(text)).replace(/\(\s*/g, "(").replace(/\s*\)/g, ")").replace(/\s*,\s*/g, ", ");
  return lowerOutsideQuotes(key);
}

const clauseWords = new Set(["where", "group", "order", "limit", "having", "window", "union", "except", "intersect", "offset", "fetch", "for"]);

/**
 * A comparison key for a view's SELECT. PostgreSQL prints every column of a stored view with its
 * table's name (`alerts.id`); over a single table that qualifier adds nothing, so it is dropped.
 */
export function viewKey(definition: string): string {
  const key = definitionKey(definition);
  const froms = key.match(/\bfrom\b/g) ?? [];
  if (froms.length !== 1 || /\bjoin\b/.test(key)) return key;
  const source = /\bfrom\s+((?:[a-z_]\w*\.)?([a-z_]\w*))(?:\s+(?:as\s+)?([a-z_]\w*))?/.exec(key);
  if (!source || key.slice(source.index).split(/\bwhere\b|\bgroup\b|\border\b/)[0]!.includes(",")) return key;
  const qualifiers = [source[1]!, source[2]!];
  const alias = source[3];
  if (alias !== undefined && !clauseWords.has(alias)) qualifiers.push(alias);
  let result = key;
  for (const qualifier of qualifiers) {
    result = result.replace(new RegExp(String.raw`(^|[^\w.])${qualifier.replace(/\./g, "\\.")}\.(?=[a-z_"])`, "g"), "$1");
  }
  return result;
}

/** A comparison key for a trigger: the default schema's qualifier and EXECUTE PROCEDURE (an old spelling) do not count. */
export function triggerKey(definition: string): string {
  const text = definition.replace(/\bpublic\./g, "").replace(/\bexecute\s+procedure\b/gi, "EXECUTE FUNCTION");
  return definitionKey(text.replace(/\b(before|after|instead\s+of)\s+(.+?)\s+on\s/i, (_m, timing: string, events: string) => `${timing} ${orderTriggerEvents(events)} ON `));
}

const triggerEventOrder = ["insert", "delete", "update", "truncate"];

/** PostgreSQL prints a trigger's events as INSERT OR DELETE OR UPDATE OR TRUNCATE, whatever order they were written in. */
function orderTriggerEvents(events: string): string {
  const rank = (event: string) => triggerEventOrder.indexOf(event.trim().split(/\s+/)[0]!.toLowerCase());
  return events
    .split(/\s+or\s+/i)
    .sort((a, b) => rank(a) - rank(b))
    .join(" OR ");
}
