import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("merge")
    .description("create a revision whose parents are REVISIONS (or `heads`)")
    .argument("<revisions...>", "the revisions to merge, or `heads`")
    .requiredOption("-m, --message <message>", "what the merge is for")
    .option("--branch-label <label>", "branch label for the merge revision")
    .option("--rev-id <id>", "use this id instead of a generated one")
    .action(async (revisions: string[], options: { message: string; branchLabel?: string; revId?: string }, command: Command) => {
      const { merge } = await import("../../api/merge.js");
      const result = await merge({
        ...cli.apiOptions(command),
        revisions,
        message: options.message,
        ...(options.branchLabel === undefined ? {} : { branchLabel: options.branchLabel }),
        ...(options.revId === undefined ? {} : { revId: options.revId }),
      });
      cli.print(command, result, (r) => [`Generating ${r.path} ... done`]);
    });
}
