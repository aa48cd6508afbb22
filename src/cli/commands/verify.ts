import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("verify")
    .description("report applied revisions whose files changed or are missing, and failed steps; exit 1 if any")
    .action(async (_options: unknown, command: Command) => {
      const { verify } = await import("../../api/verify.js");
      const result = await verify(cli.apiOptions(command));
      cli.print(
        command,
        result,
        (r) =>
          r.problems.length === 0
            ? [`All ${r.checked} applied revision(s) match their files.`]
            : r.problems.map((p) => `${p.kind}: ${p.revision}: ${p.message}`),
        { always: true },
      );
      if (result.problems.length > 0) cli.exitCode = 1;
    });
}
