import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { revisionDetails, revisionTag } from "../format.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("current")
    .description("show the revisions recorded in the database's version table")
    .option("-v, --verbose", "show each revision in full")
    .option("--check-heads", "exit 1 when the database is not at the head revisions")
    .action(async (options: { verbose: boolean; checkHeads: boolean }, command: Command) => {
      const { current } = await import("../../api/current.js");
      const result = await current(cli.apiOptions(command));
      cli.print(command, result, (r) => {
        if (r.revisions.length === 0) return ["<base> (no revision applied)"];
        return r.revisions.flatMap((info) => (options.verbose ? [...revisionDetails(info), ""] : [revisionTag(info)]));
      });
      if (options.checkHeads && !result.atHead) {
        cli.io.stderr(`The database is not at head: ${result.pending.length} revision(s) pending.\n`);
        cli.exitCode = 1;
      }
    });
}
