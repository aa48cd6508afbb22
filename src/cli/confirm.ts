import type { CliIO } from "./io.js";

/**
 * Asks a yes/no question on a terminal; off a terminal the answer is no, so that scripts must
 * say --yes. `--yes` itself is checked by the caller before asking.
 */
export async function confirm(io: CliIO, question: string): Promise<boolean> {
  if (!io.isTTY || !process.stdin.isTTY) return false;
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
