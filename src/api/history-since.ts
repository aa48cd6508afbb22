/** `history --since DATE`: only revisions created on or after a date. */
import { UsageError } from "../errors.js";

/** Parses `2024-05-01`, `2024-05-01T12:00:00Z` and the like; a date alone means its start, in UTC. */
export function parseSince(text: string): Date {
  const trimmed = text.trim();
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
  if (trimmed === "" || Number.isNaN(date.getTime())) {
    throw new UsageError(`--since "${text}" is not a date; use a form like 2024-05-01 or 2024-05-01T12:00:00Z.`);
  }
  return date;
}

/** Keeps revisions whose create date is at or after `since`; a revision without one cannot be placed, so it is left out. */
export function createdSince<T extends { createDate?: string }>(revisions: readonly T[], since: string): T[] {
  const from = parseSince(since).getTime();
  return revisions.filter((revision) => {
    if (revision.createDate === undefined) return false;
    const created = new Date(revision.createDate).getTime();
    return !Number.isNaN(created) && created >= from;
  });
}
