import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { revisionDetails } from "../format.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("show")
    .description("show one revision (an id, a unique prefix, a label, head)")
    .argument("<revision>", "which revision")
    .action(async (revision: string, _options: unknown, command: Command) => {
      const { show } = await import("../../api/show.js");
      const result = await show({ ...cli.apiOptions(command), revision });
      cli.print(command, result, (r) => r.revisions.flatMap((info, i) => [...(i > 0 ? [""] : []), ...revisionDetails(info)]));
    });
}
