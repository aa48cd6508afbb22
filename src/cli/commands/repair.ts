import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { CliContext } from "../context.js";

interface RepairFlags {
  markApplied?: boolean;
  rollbackRecord?: boolean;
}

export function register(program: Command, cli: CliContext): void {
  program
    .command("repair")
    .description("after review: accept REVISION's edited file, or close its failed step")
    .argument("<revision>", "the revision to repair")
    .option("--mark-applied", "the failed step was finished by hand: record it as applied")
    .option("--rollback-record", "the failed step was undone by hand: close its record, leave the version table")
    .action(async (revision: string, options: RepairFlags, command: Command) => {
      if (options.markApplied && options.rollbackRecord) throw new UsageError("Choose one of --mark-applied and --rollback-record.");
      const { repair } = await import("../../api/repair.js");
      const action = options.markApplied ? "mark-applied" : options.rollbackRecord ? "rollback-record" : undefined;
      const result = await repair({ ...cli.apiOptions(command), revision, ...(action === undefined ? {} : { action }) });
      cli.print(command, result, (r) => [`Repaired ${r.revision}: ${r.action}.`]);
    });
}
