import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("init")
    .description("create stratum.config.ts, a versions folder and a revision template in DIR")
    .argument("[dir]", "where to create them (default: the current folder)")
    .action(async (dir: string | undefined, _options: unknown, command: Command) => {
      const { init } = await import("../../api/init.js");
      const result = await init({ ...cli.apiOptions(command), ...(dir === undefined ? {} : { directory: dir }) });
      cli.print(command, result, (r) => [...r.files.map((file) => `Created ${file}`), "Edit stratum.config.ts to set the database URL."]);
    });
}
