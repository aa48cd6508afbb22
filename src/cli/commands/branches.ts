import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { historyLine, revisionDetails } from "../format.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("branches")
    .description("show the revisions the graph branches at, and their children")
    .option("-v, --verbose", "show each branch point in full")
    .action(async (options: { verbose: boolean }, command: Command) => {
      const { branches } = await import("../../api/branches.js");
      const result = await branches(cli.apiOptions(command));
      cli.print(command, result, (r) =>
        r.branchPoints.flatMap(({ revision, children }) => {
          const head = options.verbose ? revisionDetails(revision) : [historyLine(revision)];
          const indent = " ".repeat(revision.id.length + 1);
          return [...head, ...children.map((child) => `${indent}-> ${child.id}${child.isHead ? " (head)" : ""}, ${child.message}`)];
        }),
      );
    });
}
