/** Revision ids: how new ones are made and which ones are allowed. */
import { randomBytes } from "node:crypto";
import { UsageError } from "../errors.js";

/** A new random id: 12 lowercase hex characters, as Alembic makes them. */
export function generateRevisionId(): string {
  return randomBytes(6).toString("hex");
}

/** Words that target strings give a meaning to, so an id may not be one of them. */
const RESERVED_IDS = new Set(["head", "heads", "base", "current"]);
const LONGEST_RESERVED = Math.max(...[...RESERVED_IDS].map((word) => word.length));
const FORBIDDEN_CHARACTER = /[@\-+:,\s"'`\\/]/;

/**
 * Why `id` cannot be a revision id, or undefined when it can. `@ - + :` have meanings in
 * targets (label@head, rev+2, a:b); whitespace, commas and quotes would break SQL headers.
 */
export function revisionIdProblem(id: string): string | undefined {
  if (id.length === 0) return "a revision id may not be empty";
  const bad = FORBIDDEN_CHARACTER.exec(id);
  if (bad) {
    const shown = /\s/.test(bad[0]) ? "whitespace" : `"${bad[0]}"`;
    return `revision id "${id}" may not contain ${shown}`;
  }
  // Every header's id and parents pass here: most ids are too long to be a reserved word.
  if (id.length <= LONGEST_RESERVED && RESERVED_IDS.has(id.toLowerCase())) return `revision id "${id}" is a reserved word in targets`;
  return undefined;
}

/** Throws a UsageError when `id` cannot be a revision id (for `--rev-id`). */
export function validateRevisionId(id: string): void {
  const problem = revisionIdProblem(id);
  if (problem) throw new UsageError(problem);
}
