/**
 * parseSqlRevision finds its sections by searching the text for marker lines. This checks it
 * against the plain reading of the format, line by line, over generated files: the same
 * sections, the same line numbers and the same errors at the same lines.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseSqlRevision } from "../../src/scripts/sql-revision.js";

interface Reading {
  up?: { text: string; line: number };
  down?: { text: string; line: number };
  error?: { message: string; line: number | undefined };
}

/** The format as its documentation states it: every line after the header, one at a time. */
function readLineByLine(text: string): Reading {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  let index = 0;
  while (index < lines.length && /^[ \t]*$/.test(lines[index] as string)) index++;
  const sections = new Map<string, { text: string; line: number }>();
  let current: { name: string; start: number } | undefined;
  const close = (end: number) => {
    if (current) sections.set(current.name, { text: lines.slice(current.start, end).join("\n"), line: current.start + 1 });
  };
  const fail = (message: string, line: number): Reading => ({ error: { message, line } });
  for (let i = index + 1; i < lines.length; i++) {
    const trimmed = (lines[i] as string).trim();
    const marker = /^--\s*stratum:([a-z-]+)(.*)$/.exec(trimmed);
    if (marker) {
      const name = marker[1] as string;
      if (name !== "up" && name !== "down") return fail(`unknown marker "-- stratum:${name}" (expected -- stratum:up or -- stratum:down)`, i + 1);
      if (sections.has(name) || current?.name === name) return fail(`the "-- stratum:${name}" section appears twice`, i + 1);
      close(i);
      current = { name, start: i + 1 };
      continue;
    }
    if (!current && trimmed.length > 0 && !trimmed.startsWith("--")) {
      return fail('SQL before the "-- stratum:up" marker; put statements inside the up or down section', i + 1);
    }
  }
  close(lines.length);
  if (!sections.has("up")) return fail('SQL revision has no "-- stratum:up" section', index + 1);
  const reading: Reading = { up: sections.get("up") };
  if (sections.has("down")) reading.down = sections.get("down");
  return reading;
}

function readFast(text: string): Reading {
  try {
    const parsed = parseSqlRevision("r.sql", text);
    const reading: Reading = { up: parsed.up };
    if (parsed.down) reading.down = parsed.down;
    return reading;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { error: { message: error.message.replace(/^r\.sql:\d+: /, ""), line: error.location?.line } };
  }
}

const body = fc.constantFrom(
  "SELECT 1;",
  "CREATE TABLE t (id int);",
  "",
  "   ",
  "\t",
  "-- a comment",
  "  -- indented comment",
  "-- stratum:up",
  "-- stratum:down",
  "--stratum:up",
  "  -- stratum:down  trailing words",
  "-- stratum:middle",
  "-- stratum:revision id=x",
  "SELECT '-- stratum:up';",
  "x -- stratum:down",
  "\u00a0-- stratum:up",
  "foo\u2028-- stratum:down",
  "$$ body $$;",
);
const lineBreak = fc.constantFrom("\n", "\r\n", "\r");

const revisionText = fc
  .record({
    bom: fc.boolean(),
    blanks: fc.array(fc.constantFrom("", "  ", "\t"), { maxLength: 2 }),
    lines: fc.array(body, { maxLength: 12 }),
    breaks: fc.array(lineBreak, { minLength: 16, maxLength: 16 }),
    trailingBreak: fc.boolean(),
  })
  .map(({ bom, blanks, lines, breaks, trailingBreak }) => {
    const all = [...blanks, '-- stratum:revision id=a1 message="m"', ...lines];
    let text = bom ? "\uFEFF" : "";
    all.forEach((line, i) => {
      text += line;
      if (i < all.length - 1 || trailingBreak) text += breaks[i % breaks.length];
    });
    return text;
  });

describe("SQL revision sections", () => {
  it("agree with a line-by-line reading of the format", () => {
    fc.assert(
      fc.property(revisionText, (text) => {
        expect(readFast(text)).toEqual(readLineByLine(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("keep the text between markers exactly, with line breaks as \\n", () => {
    const parsed = parseSqlRevision("r.sql", '-- stratum:revision id=a1\r\n-- stratum:up\r\nA;\r\n\r\nB;\r\n-- stratum:down\rC;\r');
    expect(parsed.up).toEqual({ text: "A;\n\nB;", line: 3 });
    expect(parsed.down).toEqual({ text: "C;\n", line: 7 });
  });
});
