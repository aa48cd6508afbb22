/** What every check of the testing kit takes: where the project is, and where to run it. */
import type { CommonOptions } from "../api/options.js";

/**
 * Where the scratch database lives. "pglite": an embedded PostgreSQL in memory. "server": a
 * temporary database created (and dropped) beside the configured one (PostgreSQL and MySQL:
 * CREATE DATABASE on the same server; SQLite: a temporary file). "auto" (the default): the
 * configured server when `url` is passed or the configured database is SQLite or MySQL, whose
 * revisions may hold SQL that PostgreSQL does not accept; PGlite otherwise.
 */
export type ScratchMode = "auto" | "pglite" | "server";

/** One line of a check's report: a step run, or a comparison made. */
export interface KitStep {
  check: string;
  action: "upgrade" | "downgrade" | "upgrade again" | "compare" | "check";
  revision?: string;
  message?: string;
  ok: boolean;
  durationMs: number;
  /** The revision's place in the check's walk (0-based) and the walk's length, for progress. */
  index?: number;
  total?: number;
  /** What went wrong, when `ok` is false. */
  detail?: string;
}

export interface KitOptions extends Pick<CommonOptions, "cwd" | "configFile" | "env" | "url" | "args"> {
  scratch?: ScratchMode;
  /** Called after each step, for progress output. */
  onStep?: (step: KitStep) => void;
}
