/**
 * A squash carries over what introspection sees, so a revision in the range that changes data
 * (a backfill, seed rows) would silently lose that change. Each upgrade is recorded without a
 * database to find such statements before anything is written.
 */
import type { Dialect } from "../dialects/types.js";
import { RecordingExecutor } from "../ops/executor.js";
import { Op } from "../ops/op.js";
import type { Operation } from "../ops/types.js";
import { loadDefinition } from "../runner/definitions.js";
import type { Revisions } from "./project.js";
import { loadRevisions } from "./revisions.js";

const DATA_STATEMENT = /^\s*(?:with\b[\s\S]*?\b)?(insert|update|delete|merge|copy)\b/i;

/** One sentence per revision of `ids` whose upgrade changes data, or could not be looked at. */
export async function dataChanges(ids: string[], revisions: Revisions, dialect: Dialect): Promise<string[]> {
  const loaded = loadRevisions(ids, revisions.byId, revisions.files, dialect);
  const found: string[] = [];
  for (const id of ids) {
    const recorder = new RecordingExecutor(dialect.name);
    try {
      const definition = await loadDefinition(loaded.get(id)!, dialect);
      await definition.upgrade(new Op(recorder), { revision: id, dialect: dialect.name, args: {}, offline: true });
    } catch (error) {
      found.push(`${id} could not be read without a database (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const statement = recorder.operations.flatMap(flatten).map(describeDataChange).find((text) => text !== undefined);
    if (statement !== undefined) found.push(`${id} changes data (${statement})`);
  }
  return found;
}

function flatten(op: Operation): Operation[] {
  if (op.kind === "batch" || op.kind === "autocommit") return op.ops.flatMap(flatten);
  return [op];
}

function describeDataChange(op: Operation): string | undefined {
  if (op.kind === "bulkInsert") return `bulk insert into ${typeof op.table === "string" ? op.table : op.table.name}`;
  if (op.kind !== "execute") return undefined;
  const match = DATA_STATEMENT.exec(op.sql);
  if (!match) return undefined;
  const text = op.sql.trim().replace(/\s+/g, " ");
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
