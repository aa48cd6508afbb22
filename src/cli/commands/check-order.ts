import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("check-order")
    .description("fail (exit 1) when the revision graph has more than one head and needs a merge")
    .action(async (_options: unknown, command: Command) => {
      const { checkOrder } = await import("../../api/check-order.js");
      const result = await checkOrder(cli.apiOptions(command));
      cli.print(command, result, (r) => (r.ok ? [`History is linear: one head (${r.heads[0] ?? "no revisions yet"}).`] : []), { always: true });
      if (!result.ok) {
        if (!cli.globals(command).json) cli.io.stderr(`error: ${result.message}\nhint: ${result.hint}\n`);
        cli.exitCode = 1;
      }
    });
}
