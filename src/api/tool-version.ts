import { readFileSync } from "node:fs";

let cached: string | undefined;

/** `stratum x.y.z`, recorded in the history table with every step. */
export function toolVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    cached = `stratum ${pkg.version ?? "unknown"}`;
  }
  return cached;
}
