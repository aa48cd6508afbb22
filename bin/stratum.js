#!/usr/bin/env node
// The installed command. The CLI lives in dist/ (built by `npm run build`, run by `npm ci`).
const args = process.argv.slice(2);

if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // Answered before loading the CLI, so that scripts probing the version pay only Node's start-up.
  const { readFileSync } = await import("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  // `stratum history | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const { runCli } = await import("../dist/bundle/cli/main.js");
  process.exitCode = await runCli(args);
}
