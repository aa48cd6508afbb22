import type { Command } from "commander";
import { UsageError } from "../errors.js";

/** Flags every command accepts, as commander hands them over. */
export interface GlobalFlags {
  directory?: string;
  config?: string;
  url?: string;
  env?: string;
  x?: string[];
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  yes?: boolean;
  singleTransaction?: boolean;
  lockWait?: string;
  dryRun?: boolean;
  allowChanged?: boolean;
}

/** Options whose value is the next argument: used to find the command name without parsing. */
export const GLOBAL_OPTIONS_WITH_VALUE = new Set(["-C", "--directory", "--config", "--url", "-e", "--env", "-x", "--lock-wait"]);

export function addGlobalOptions(program: Command): void {
  program
    .option("-C, --directory <dir>", "run as if started in DIR")
    .option("--config <file>", "config file (default: stratum.config.ts in the working folder)")
    .option("--url <url>", "database URL (overrides the config and DATABASE_URL)")
    .option("-e, --env <name>", "database from the config's `envs`")
    .option("-x <key=value>", "argument passed to revisions as context.args (repeatable)", collect)
    .option("--json", "machine-readable output")
    .option("-q, --quiet", "print only errors and results")
    .option("--debug", "print stack traces for errors")
    .option("--yes", "confirm destructive steps (downgrades that drop data, stamp --purge) without asking")
    .option("--single-transaction", "run the whole upgrade or downgrade in one transaction")
    .option("--lock-wait <seconds>", "give up waiting for the migration lock after SECONDS")
    .option("--dry-run", "run the plan and roll it back (where DDL cannot roll back, print its SQL); commit nothing")
    .option("--allow-changed", "run even when an applied revision file was edited");
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `-x key=value` pairs as a record; a pair without `=` is a usage error. */
export function parseRevisionArgs(pairs: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`-x expects key=value, got "${pair}".`);
    args[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return args;
}

export function parseLockWait(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0 || value.trim() === "")
    throw new UsageError(`--lock-wait expects a number of seconds, got "${value}".`);
  return seconds;
}

export function readGlobals(command: Command): GlobalFlags {
  return command.optsWithGlobals<GlobalFlags>();
}
