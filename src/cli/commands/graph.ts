import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("graph")
    .description("draw the revision graph: branches, merges, labels, heads and the current position")
    .option("-f, --format <format>", "text, html, mermaid or dot", "text")
    .option("--offline", "do not read the database; statuses stay unknown")
    .action(async (options: { format: string; offline?: boolean }, command: Command) => {
      const { GRAPH_FORMATS, renderGraph } = await import("../../render/graph/index.js");
      const format = GRAPH_FORMATS.find((f) => f === options.format);
      if (format === undefined) throw new UsageError(`Unknown graph format "${options.format}"; use one of ${GRAPH_FORMATS.join(", ")}.`);
      const { graphPicture } = await import("../../api/graph-picture.js");
      const picture = await graphPicture({ ...cli.apiOptions(command), offline: options.offline === true });
      if (cli.globals(command).json) cli.io.stdout(`${JSON.stringify(picture, null, 2)}\n`);
      else cli.io.stdout(renderGraph(picture, format));
      if (picture.errors.length > 0) {
        // The picture is on stdout (perhaps redirected to a file); say why the exit code is 1 where it is seen.
        if (format !== "text") cli.io.stderr(`error: the revision graph is invalid: ${picture.errors.join(" ")}\n`);
        cli.exitCode = 1;
      }
    });
}
