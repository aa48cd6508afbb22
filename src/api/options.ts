/**
 * Options shared by every API function. Nothing is kept between calls: the project folder,
 * the config and the target all come in here, so one process can drive many databases.
 */

/** What a run reports while it works; the CLI turns these into lines, the API caller may ignore them. */
export type RunEvent =
  | {
      type: "step";
      direction: "up" | "down";
      revision: string;
      /** Alembic-style "from -> to" ids; "<base>" when there is none. */
      from: string;
      to: string;
      message: string;
      index: number;
      total: number;
    }
  | { type: "stepDone"; revision: string; durationMs: number; index: number; total: number }
  | { type: "lockWait"; holder?: string }
  | { type: "warning"; message: string }
  | { type: "info"; message: string };

export interface CommonOptions {
  /** The folder to work in (the CLI's -C); default: process.cwd(). */
  cwd?: string;
  /** An explicit config file; default: stratum.config.ts (or .js/.mjs) searched upwards from cwd. */
  configFile?: string;
  /** An environment name from the config's `environments` (the CLI's -e). */
  env?: string;
  /** A database URL that overrides the config and DATABASE_URL. */
  url?: string;
  /** `-x key=value` arguments handed to revisions as data. */
  args?: Record<string, string>;
  /** Give up waiting for the migration lock after this many seconds; default: wait. */
  lockWaitSeconds?: number;
  onEvent?: (event: RunEvent) => void;
}
