/**
 * A shortcut for the header as `stratum revision` writes it: imports, then
 * `export default revision({` and the six header fields first, as plain double-quoted
 * literals without escapes. One regular expression reads that form; anything else returns
 * undefined and the full scanner (module-header.ts) reads the file. The shortcut exists for
 * speed alone: `heads` reads every file once per run, before the JavaScript engine has
 * warmed up, and a regular expression costs far less than a scanner loop then.
 */
const STRING = String.raw`"[^"\\\n\r]*"`;
const LIST = String.raw`\[\s*(?:${STRING}\s*,\s*)*(?:${STRING}\s*,?\s*)?\]`;
const PREAMBLE = new RegExp(String.raw`(?:\s+|//[^\n]*|import\s+(?:type\s+)?\{[^}'"\x60/]*\}\s*from\s*"[^"\n]*"\s*;?|import\s*"[^"\n]*"\s*;?)*export\s+default\s+(revision)\s*\(\s*\{`, "y");
const FIELD = new RegExp(String.raw`\s*(id|parents|message|createDate|branchLabels|dependsOn)\s*:\s*(${STRING}|${LIST})\s*,`, "y");
const FIELD_COUNT = 6;

export interface FastHeaderFields {
  callOffset: number;
  values: Map<string, string | string[]>;
}

export function readHeaderFast(text: string): FastHeaderFields | undefined {
  PREAMBLE.lastIndex = 0;
  const call = PREAMBLE.exec(text);
  if (!call) return undefined;
  const values = new Map<string, string | string[]>();
  FIELD.lastIndex = PREAMBLE.lastIndex;
  for (let i = 0; i < FIELD_COUNT; i++) {
    const field = FIELD.exec(text);
    if (!field) return undefined;
    const name = field[1] as string;
    const literal = field[2] as string;
    if (values.has(name)) return undefined;
    values.set(name, literal.startsWith("[") ? listItems(literal) : literal.slice(1, -1));
  }
  return { callOffset: call.index + call[0].lastIndexOf("revision"), values };
}

/** The strings of a list literal the FIELD expression matched: every other `"` opens one. */
function listItems(literal: string): string[] {
  const items: string[] = [];
  let open = literal.indexOf('"');
  while (open !== -1) {
    const close = literal.indexOf('"', open + 1);
    items.push(literal.slice(open + 1, close));
    open = literal.indexOf('"', close + 1);
  }
  return items;
}
