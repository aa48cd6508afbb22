import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("status")
    .description("list the revisions not yet applied; exit 1 when there are any")
    .action(async (_options: unknown, command: Command) => {
      const { status } = await import("../../api/status.js");
      const result = await status(cli.apiOptions(command));
      cli.print(
        command,
        result,
        (r) => {
          const at = r.current.length === 0 ? "<base>" : r.current.join(", ");
          if (r.pending.length === 0) return [`Up to date at ${at}.`];
          return [`${r.pending.length} pending revision(s) (database at ${at}):`, ...r.pending.map((p) => `  ${p.id}  ${p.message}`)];
        },
        { always: true },
      );
      if (result.pending.length > 0) cli.exitCode = 1;
    });
}
