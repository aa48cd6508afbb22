import type { DialectName } from "../drivers/types.js";
import type { Op } from "../ops/op.js";

/** What a revision's upgrade and downgrade receive besides `op`. */
export interface RevisionContext {
  readonly revision: string;
  readonly dialect: DialectName;
  /** `-x key=value` arguments from the command line. */
  readonly args: Readonly<Record<string, string>>;
  /** True while rendering `--sql`: nothing is connected. */
  readonly offline: boolean;
}

export type MigrationFunction = (op: Op, context: RevisionContext) => Promise<void> | void;

/** The object a TypeScript or JavaScript revision file exports by default. */
export interface RevisionDefinition {
  id: string;
  /** Down revisions: [] (or omitted) for a root, two or more for a merge. */
  parents?: string[];
  message?: string;
  createDate?: string;
  branchLabels?: string[];
  dependsOn?: string[];
  /** Ids of the linear range this revision was squashed from, oldest first (written by `stratum squash`). */
  replaces?: string[];
  /** False runs every statement outside a transaction. Default true. */
  transactional?: boolean;
  /** Overrides the configured lock_timeout for this revision. */
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  lint?: { disable?: string[] };
  upgrade: MigrationFunction;
  downgrade?: MigrationFunction;
}

/** Declares a revision. Returned as given, after checking its shape, so that a bad file fails early. */
export function revision(definition: RevisionDefinition): RevisionDefinition {
  if (typeof definition !== "object" || definition === null) throw new TypeError("revision() expects an object");
  if (typeof definition.id !== "string" || definition.id.length === 0) throw new TypeError("revision() needs a string `id`");
  if (typeof definition.upgrade !== "function") throw new TypeError(`revision ${definition.id} needs an upgrade function`);
  if (definition.downgrade !== undefined && typeof definition.downgrade !== "function")
    throw new TypeError(`revision ${definition.id}: downgrade must be a function`);
  return definition;
}
