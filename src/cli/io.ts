import { redactUrls } from "../errors.js";

/** Where the CLI reads its surroundings and writes its output; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Progress lines and prompts only make sense on a terminal. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * A URL with a password always holds "://". Looking for that first is far cheaper than running
 * the redaction expression, which costs milliseconds over a large `--sql` script.
 */
function redacted(text: string): string {
  return text.includes("://") ? redactUrls(text) : text;
}

/**
 * Every byte the CLI prints goes through here, so that a password inside a URL can never
 * reach the terminal, whichever layer produced the text.
 */
export function redactingIO(io: CliIO): CliIO {
  return {
    ...io,
    stdout: (text) => io.stdout(redacted(text)),
    stderr: (text) => io.stderr(redacted(text)),
  };
}
