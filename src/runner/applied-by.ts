import { hostname, userInfo } from "node:os";

let cached: string | undefined;

/** "user@host" of the process running migrations, for the history table. */
export function appliedBy(): string {
  if (cached !== undefined) return cached;
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // Containers can run as a uid with no passwd entry.
    user = process.env.USER ?? process.env.USERNAME ?? `uid ${process.getuid?.() ?? "?"}`;
  }
  cached = `${user}@${hostname()}`.slice(0, 255);
  return cached;
}
