import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { revisionDetails, revisionTag } from "../format.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("heads")
    .description("show the heads of the revision graph")
    .option("-v, --verbose", "show each head in full")
    .option("--resolve-dependencies", "also list revisions that are heads only through depends_on")
    .action(async (options: { verbose: boolean; resolveDependencies: boolean }, command: Command) => {
      const { heads } = await import("../../api/heads.js");
      const result = await heads({ ...cli.apiOptions(command), resolveDependencies: options.resolveDependencies });
      cli.print(command, result, (r) =>
        r.heads.flatMap((info) => (options.verbose ? [...revisionDetails(info), ""] : [revisionTag(info)])),
      );
    });
}
