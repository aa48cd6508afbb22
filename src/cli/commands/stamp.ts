import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { confirm } from "../confirm.js";
import { printRunResult } from "./run-output.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("stamp")
    .description("set the version table to REVISIONS without running any revision")
    .argument("<revisions...>", "targets (head, heads, base, ids, labels)")
    .option("--purge", "empty the version table first")
    .option("--sql", "print the SQL script instead of running it (does not connect)")
    .action(async (revisions: string[], options: { purge?: boolean; sql?: boolean }, command: Command) => {
      const { stamp } = await import("../../api/stamp.js");
      const flags = cli.globals(command);
      const result = await stamp({
        ...cli.apiOptions(command),
        revisions,
        purge: options.purge,
        sql: options.sql,
        dryRun: flags.dryRun,
        yes: flags.yes === true,
        confirm: (question) => confirm(cli.io, question),
      });
      printRunResult(cli, command, result);
    });
}
