/** Makes file-based database URLs independent of the folder the command runs from. */
import { isAbsolute, resolve } from "node:path";

const FILE_SCHEMES = ["pglite:", "sqlite:"];
const IN_MEMORY = new Set(["memory", ":memory:", ""]);

/**
 * `pglite:./db` and `sqlite:app.db` become absolute against `base`. Server URLs, in-memory
 * databases, absolute paths and `scheme://` forms are returned unchanged.
 */
export function resolveUrlPath(url: string, base: string): string {
  const scheme = FILE_SCHEMES.find((s) => url.toLowerCase().startsWith(s));
  if (!scheme) return url;
  const rest = url.slice(scheme.length);
  if (rest.startsWith("//") || IN_MEMORY.has(rest) || isAbsolute(rest)) return url;
  return `${scheme}${resolve(base, rest)}`;
}
