import type { Command } from "commander";
import type { CliContext } from "../context.js";

interface BaselineFlags {
  message?: string;
  stamp?: boolean;
  revId?: string;
}

export function register(program: Command, cli: CliContext): void {
  program
    .command("baseline")
    .description("write a first revision that recreates the database's current schema")
    .option("-m, --message <message>", "the revision's message", "baseline")
    .option("--stamp", "stamp the database at the new revision")
    .option("--rev-id <id>", "use this id instead of a generated one")
    .action(async (options: BaselineFlags, command: Command) => {
      const { baseline } = await import("../../api/schema.js");
      const result = await baseline({
        ...cli.apiOptions(command),
        ...(options.message === undefined ? {} : { message: options.message }),
        ...(options.revId === undefined ? {} : { revId: options.revId }),
        stamp: options.stamp === true,
      });
      cli.print(command, result, (r) => [
        `Generating ${r.path} ... done (${r.operations} operation(s))`,
        ...(r.stamped ? [`Stamped the database at ${r.id}.`] : []),
      ]);
    });
}
