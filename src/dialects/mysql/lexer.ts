/**
 * Cuts MySQL/MariaDB SQL text into runs of plain code, quoted text and comments, so that the
 * splitter and the placeholder inliner only look at code. Strings take backslash escapes and
 * doubled quotes; `--` starts a comment only when followed by a space; `#` comments run to the
 * end of the line; `/*! ... *\/` is an executable comment and counts as code.
 */
import { InputError } from "../../errors.js";

export type SegmentType = "code" | "string" | "ident" | "comment" | "executableComment";

export interface Segment {
  type: SegmentType;
  start: number;
  end: number;
}

/** Maps an offset to its 1-based line. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

export function segment(text: string, source = "<sql>"): Segment[] {
  const segments: Segment[] = [];
  const lineOf = lineLocator(text);
  let codeStart = 0;
  let i = 0;
  const emit = (type: SegmentType, end: number) => {
    if (codeStart < i) segments.push({ type: "code", start: codeStart, end: i });
    segments.push({ type, start: i, end });
    i = end;
    codeStart = end;
  };
  const fail = (what: string): never => {
    throw new InputError(`unterminated ${what}`, { file: source, line: lineOf(i) });
  };

  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= text.length) fail("string literal");
        const c = text[j]!;
        if (c === "\\") j += 2;
        else if (c === ch && text[j + 1] === ch) j += 2;
        else if (c === ch) break;
        else j++;
      }
      emit("string", j + 1);
    } else if (ch === "`") {
      let j = i + 1;
      for (;;) {
        const at = text.indexOf("`", j);
        if (at < 0) fail("quoted identifier");
        if (text[at + 1] === "`") j = at + 2;
        else {
          j = at + 1;
          break;
        }
      }
      emit("ident", j);
    } else if (ch === "#" || (ch === "-" && next === "-" && (i + 2 >= text.length || /\s/.test(text[i + 2]!)))) {
      const eol = text.indexOf("\n", i);
      emit("comment", eol < 0 ? text.length : eol);
    } else if (ch === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) fail("/* comment");
      emit(text[i + 2] === "!" ? "executableComment" : "comment", close + 2);
    } else i++;
  }
  if (codeStart < text.length) segments.push({ type: "code", start: codeStart, end: text.length });
  return segments;
}
