import { GraphError } from "../errors.js";
import type { RevisionHeader } from "./types.js";

/** `head` (or `label@head`) matched more than one head. */
export class MultipleHeadsError extends GraphError {
  readonly heads: readonly string[];
  constructor(message: string, heads: string[], hint: string) {
    super(message, { hint });
    this.heads = heads;
  }
}

/** `'abc' (versions/abc_add_users.ts)`, or just `'abc'` when the header has no file. */
export function describeRevision(header: Pick<RevisionHeader, "id" | "path">): string {
  return header.path ? `'${header.id}' (${header.path})` : `'${header.id}'`;
}

/** `'a', 'b', 'c'` for error messages. */
export function listIds(ids: readonly string[]): string {
  return ids.map((id) => `'${id}'`).join(", ");
}
