import type { Command } from "commander";
import type { RunOptions, RunResult } from "../../api/run.js";
import { confirm } from "../confirm.js";
import type { CliContext } from "../context.js";

/** The run options upgrade and downgrade take from the command line. */
export function runOptions(cli: CliContext, command: Command, sql: boolean): RunOptions {
  const flags = cli.globals(command);
  return {
    ...cli.apiOptions(command),
    sql,
    dryRun: flags.dryRun,
    singleTransaction: flags.singleTransaction,
    allowChanged: flags.allowChanged,
    yes: flags.yes === true,
    confirm: (question) => confirm(cli.io, question),
  };
}

/** Shared printing for upgrade, downgrade and stamp: the script offline, a summary online. */
export function printRunResult(cli: CliContext, command: Command, result: RunResult): void {
  if (result.mode === "offline" && !cli.globals(command).json) {
    cli.io.stdout(result.sql.endsWith("\n") ? result.sql : `${result.sql}\n`);
    return;
  }
  cli.print(command, result, (r) => {
    if (r.mode === "offline") return [];
    const lines: string[] = [];
    if (r.dryRun) {
      lines.push(`Dry run: ${r.steps.length} step(s) planned, nothing committed.`);
      if (r.script) lines.push(r.script.trimEnd());
    } else if (r.steps.length === 0 && r.kind !== "stamp") {
      lines.push(`Nothing to do: the database is at ${formatHeads(r.headsBefore)}.`);
    } else {
      lines.push(`Now at ${formatHeads(r.headsAfter)}.`);
    }
    return lines;
  });
}

function formatHeads(heads: readonly string[]): string {
  return heads.length === 0 ? "<base>" : heads.join(", ");
}
