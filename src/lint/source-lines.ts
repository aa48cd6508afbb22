/**
 * Where a finding points in its file: the line of the `op.` call in a TypeScript revision (found
 * by scanning the source), and the `stratum-disable-next-line` comments that silence it.
 */
import type { Operation } from "../ops/types.js";

const DISABLE = /(?:--|\/\/)\s*stratum-disable-next-line\b(.*)$/;

/**
 * Rules disabled on each line: a `-- stratum-disable-next-line RULE[, RULE]` (or `//`) comment
 * applies to the next line that is not blank or another comment. No rule named means every rule.
 */
export function disabledByLine(text: string): Map<number, Set<string>> {
  const lines = text.split(/\r\n|\r|\n/);
  const result = new Map<number, Set<string>>();
  let pending: { rules: string[]; line: number }[] = [];
  lines.forEach((content, index) => {
    const match = DISABLE.exec(content);
    if (match) {
      const names = (match[1] ?? "").split(/[\s,]+/).filter((name) => name.length > 0 && !name.startsWith("--"));
      pending.push({ rules: names.length > 0 ? names : ["all"], line: index + 1 });
      return;
    }
    const trimmed = content.trim();
    if (trimmed === "" || trimmed.startsWith("--") || trimmed.startsWith("//")) return;
    if (pending.length > 0) {
      result.set(index + 1, new Set(pending.flatMap((p) => p.rules)));
      pending = [];
    }
  });
  return result;
}

/** Every rule name written in a disable comment, with its line, so that typos can be reported. */
export function disableComments(text: string): Array<{ rule: string; line: number }> {
  const found: Array<{ rule: string; line: number }> = [];
  text.split(/\r\n|\r|\n/).forEach((content, index) => {
    const match = DISABLE.exec(content);
    if (!match) return;
    for (const rule of (match[1] ?? "").split(/[\s,]+/)) if (rule.length > 0 && !rule.startsWith("--")) found.push({ rule, line: index + 1 });
  });
  return found;
}

interface Call {
  method: string;
  line: number;
  /** The source right after the call's opening parenthesis (its arguments, and maybe more). */
  args: string;
}

/** Methods of the op facade that build each operation kind. */
function methodsFor(op: Operation): string[] {
  if (op.kind === "createView" && op.materialized) return ["createMaterializedView", "createView", "run"];
  if (op.kind === "dropView" && op.materialized) return ["dropMaterializedView", "dropView", "run"];
  return [op.kind, "run"];
}

/** The name a call most likely spells out as a string literal: the object's own name first. */
function identityOf(op: Operation): string | undefined {
  if ("name" in op && typeof op.name === "string") return op.name;
  if (op.kind === "addColumn") return op.column.name;
  if ("column" in op && typeof op.column === "string") return op.column;
  if ("table" in op && op.table !== undefined) return typeof op.table === "string" ? op.table : op.table.name;
  return undefined;
}

const QUOTES = ['"', "'", "`"];

/**
 * Matches recorded operations to `x.method(` calls in one function of a TypeScript revision.
 * A call whose arguments spell the operation's name wins; otherwise the next call in order whose
 * first argument is computed (a loop or a helper), and failing that the last such call before.
 */
export class CallLocator {
  private readonly calls: Call[] = [];
  private next = 0;

  constructor(text: string, region: { start: number; end: number }, private readonly fallbackLine: number) {
    const pattern = /\b[A-Za-z_$][\w$]*\s*\.\s*([A-Za-z]+)\s*\(/g;
    // Whole-line comments (such as a template's commented-out example calls) are not calls.
    const body = text.slice(region.start, region.end).replace(/^[ \t]*\/\/.*$/gm, (line) => " ".repeat(line.length));
    for (let match = pattern.exec(body); match; match = pattern.exec(body)) {
      const at = region.start + match.index;
      const open = at + match[0].length;
      this.calls.push({ method: match[1] as string, line: lineOf(text, at), args: text.slice(open, Math.min(open + 300, region.end)) });
    }
  }

  lineFor(op: Operation): number {
    const methods = methodsFor(op);
    const identity = identityOf(op);
    const spells = (call: Call) => identity !== undefined && QUOTES.some((q) => call.args.includes(`${q}${identity}${q}`));
    const computed = (call: Call) => !QUOTES.includes(call.args.trimStart()[0] ?? "");
    const candidates = this.calls.map((call, index) => ({ call, index })).filter(({ call }) => methods.includes(call.method));
    const ahead = candidates.filter(({ index }) => index >= this.next);
    const chosen =
      ahead.find(({ call }) => spells(call)) ??
      candidates.find(({ call }) => spells(call)) ??
      ahead.find(({ call }) => computed(call)) ??
      [...candidates].reverse().find(({ call, index }) => index < this.next && computed(call)) ??
      ahead[0];
    if (!chosen) return this.fallbackLine;
    this.next = Math.max(this.next, chosen.index + 1);
    return chosen.call.line;
  }
}

/** The spans of the `upgrade` and `downgrade` functions in a revision module's source. */
export function functionRegions(text: string): { upgrade: { start: number; end: number }; downgrade: { start: number; end: number } } {
  const up = /\bupgrade\s*[(:]/.exec(text)?.index;
  const down = /\bdowngrade\s*[(:]/.exec(text)?.index;
  const end = text.length;
  if (up === undefined) return { upgrade: { start: 0, end }, downgrade: { start: down ?? end, end } };
  if (down === undefined) return { upgrade: { start: up, end }, downgrade: { start: end, end } };
  return up < down ? { upgrade: { start: up, end: down }, downgrade: { start: down, end } } : { upgrade: { start: up, end }, downgrade: { start: down, end: up } };
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
