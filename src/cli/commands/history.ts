import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { historyLine, revisionDetails } from "../format.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("history")
    .description("list revisions, newest first")
    .option("-r, --rev-range <range>", "only revisions in the range [FROM]:[TO] (e.g. base:head, -3:, current:)")
    .option("-v, --verbose", "show each revision in full")
    .option("-i, --indicate-current", "mark the revisions the database is at (connects)")
    .option("--since <date>", "only revisions created on or after DATE (e.g. 2024-05-01)")
    .action(async (options: { revRange?: string; verbose: boolean; indicateCurrent: boolean; since?: string }, command: Command) => {
      const { history } = await import("../../api/history.js");
      const result = await history({
        ...cli.apiOptions(command),
        ...(options.revRange === undefined ? {} : { range: options.revRange }),
        indicateCurrent: options.indicateCurrent,
        ...(options.since === undefined ? {} : { since: options.since }),
      });
      cli.print(command, result, (r) =>
        r.revisions.flatMap((info) => (options.verbose ? [...revisionDetails(info), ""] : [historyLine(info)])),
      );
    });
}
