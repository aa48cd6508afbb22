import { GraphError } from "../errors.js";

/** The two ends of `a:b`, `a:` or `:b`; an end left out is undefined. */
export interface RevisionRange {
  from: string | undefined;
  to: string | undefined;
}

/** Splits a range for `history` and offline `--sql`. Ids and labels cannot contain ':', so the first one splits. */
export function splitRange(text: string): RevisionRange {
  const colon = text.indexOf(":");
  if (colon < 0) throw new GraphError(`Range '${text}' needs a colon: use 'a:b', 'a:' or ':b'.`);
  const from = text.slice(0, colon).trim();
  const to = text.slice(colon + 1).trim();
  if (to.includes(":")) throw new GraphError(`Range '${text}' has more than one colon.`);
  return { from: from || undefined, to: to || undefined };
}
