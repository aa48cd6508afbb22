import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("ensure-version")
    .description("create the version and history tables if they do not exist")
    .action(async (_options: unknown, command: Command) => {
      const { ensureVersion } = await import("../../api/ensure-version.js");
      const result = await ensureVersion(cli.apiOptions(command));
      cli.print(command, result, (r) => [`Version table ${r.versionTable} is ready.`]);
    });
}
