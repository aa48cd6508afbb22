/**
 * Whether a module file can be given the small "stratum" entry (`revision`, `defineConfig`)
 * instead of the whole package, read from its text. Loading the whole package costs more than
 * loading a typical revision, so a run that loads revisions only pays for it when one needs it.
 */

/** Every quoted mention of "stratum" or a subpath of it, as a module name or anything else. */
const QUOTED_STRATUM = /(["'`])stratum(?:\/[^"'`\n]*)?\1/g;
/** `import { a, b as c, type T } from "stratum"` and `import type { ... } from "stratum"`. */
const NAMED_IMPORT = /\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*(["'])stratum\3/g;
/** Anything that may load another module: each named import above holds one `import` and one `from "`. */
const MODULE_LOADS = /\bimport\b|\brequire\b|\bfrom\s*["'`]/g;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * True when the file loads no module but "stratum", only through named imports, and every value
 * it imports is in `lightNames`. Anything the patterns cannot read with certainty (a default,
 * namespace or dynamic import, a subpath, a re-export, another module, "stratum" in a string or
 * a comment) answers false, and the file gets the whole package.
 */
export function lightStratumSuffices(text: string, lightNames: ReadonlySet<string>): boolean {
  const mentions = text.match(QUOTED_STRATUM)?.length ?? 0;
  const loads = text.match(MODULE_LOADS)?.length ?? 0;
  let imports = 0;
  for (const match of text.matchAll(NAMED_IMPORT)) {
    imports++;
    if (match[1] !== undefined) continue;
    for (const specifier of (match[2] as string).split(",")) {
      const parts = specifier.trim().split(/\s+/);
      if (parts.length === 1 && parts[0] === "") continue;
      // `type T` and `type T as U` are erased; `type as U` imports a value named "type".
      if (parts[0] === "type" && (parts.length === 2 || parts.length === 4)) continue;
      const imported = parts[0] as string;
      const wellFormed = IDENTIFIER.test(imported) && (parts.length === 1 || (parts.length === 3 && parts[1] === "as" && IDENTIFIER.test(parts[2] as string)));
      if (!wellFormed || !lightNames.has(imported)) return false;
    }
  }
  return imports === mentions && loads === 2 * imports;
}
