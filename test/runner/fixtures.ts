/**
 * Small in-memory revisions and hand-built plans for runner tests, so that the runner is tested
 * on its own: a linear chain where each revision runs the SQL it is given.
 */
import type { Step } from "../../src/graph/types.js";
import type { LoadedRevision } from "../../src/runner/index.js";
import type { MigrationFunction, RevisionDefinition } from "../../src/scripts/revision.js";

export interface RevisionBody {
  up: string[] | MigrationFunction;
  down?: string[] | MigrationFunction;
  transactional?: boolean;
  lockTimeoutMs?: number;
}

function asFunction(body: string[] | MigrationFunction): MigrationFunction {
  if (typeof body === "function") return body;
  return async (op) => {
    for (const sql of body) await op.execute(sql);
  };
}

/** Revisions r1 → r2 → ... in a chain, each with the given body. */
export function chain(bodies: RevisionBody[], prefix = "r"): { ids: string[]; revisions: Map<string, LoadedRevision> } {
  const ids = bodies.map((_b, i) => `${prefix}${i + 1}`);
  const revisions = new Map<string, LoadedRevision>();
  bodies.forEach((body, i) => {
    const id = ids[i] as string;
    const parents = i === 0 ? [] : [ids[i - 1] as string];
    const definition: RevisionDefinition = {
      id,
      parents,
      upgrade: asFunction(body.up),
      ...(body.down ? { downgrade: asFunction(body.down) } : {}),
      ...(body.transactional === undefined ? {} : { transactional: body.transactional }),
      ...(body.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: body.lockTimeoutMs }),
    };
    revisions.set(id, {
      header: { id, parents, message: `revision ${id}`, branchLabels: [], dependsOn: [] },
      path: `versions/${id}.ts`,
      kind: "ts",
      checksum: `v1:${id}`,
      load: async () => definition,
    });
  });
  return { ids, revisions };
}

/** Steps that upgrade a linear chain from `current` (undefined = base) to `target`. */
export function upSteps(ids: string[], current: string | undefined, target: string): Step[] {
  const start = current === undefined ? 0 : ids.indexOf(current) + 1;
  const end = ids.indexOf(target);
  const steps: Step[] = [];
  for (let i = start; i <= end; i++) {
    const id = ids[i] as string;
    const parent = i === 0 ? undefined : (ids[i - 1] as string);
    steps.push({
      revision: id,
      direction: "up",
      headsBefore: parent ? [parent] : [],
      headsAfter: [id],
      versionChanges: parent ? [{ kind: "update", from: parent, to: id }] : [{ kind: "insert", id }],
    });
  }
  return steps;
}

/** Steps that downgrade a linear chain from `current` to `target` (undefined = base). */
export function downSteps(ids: string[], current: string, target: string | undefined): Step[] {
  const start = ids.indexOf(current);
  const end = target === undefined ? 0 : ids.indexOf(target) + 1;
  const steps: Step[] = [];
  for (let i = start; i >= end; i--) {
    const id = ids[i] as string;
    const parent = i === 0 ? undefined : (ids[i - 1] as string);
    steps.push({
      revision: id,
      direction: "down",
      headsBefore: [id],
      headsAfter: parent ? [parent] : [],
      versionChanges: parent ? [{ kind: "update", from: id, to: parent }] : [{ kind: "delete", id }],
    });
  }
  return steps;
}

export const TABLES = { version: "stratum_version", history: "stratum_history" };
