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
 * The values a file imports from "stratum" when it loads no module but "stratum", and only through
 * named imports; undefined when it may load anything else, or when the patterns cannot read it with
 * certainty (a default, namespace or dynamic import, a subpath, a re-export, another module,
 * "stratum" in a string or a comment).
 */
export function stratumOnlyImports(text: string): string[] | undefined {
  const mentions = text.match(QUOTED_STRATUM)?.length ?? 0;
  const loads = text.match(MODULE_LOADS)?.length ?? 0;
  const values: string[] = [];
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
      if (!wellFormed) return undefined;
      values.push(imported);
    }
  }
  return imports === mentions && loads === 2 * imports ? values : undefined;
}

/** True when the file loads no module but "stratum" and every value it imports is in `lightNames`. */
export function lightStratumSuffices(text: string, lightNames: ReadonlySet<string>): boolean {
  return stratumOnlyImports(text)?.every((name) => lightNames.has(name)) === true;
}

/** Names through which code reads something besides its own text: the process, globals, the clock, chance. */
const ENVIRONMENT = /\b(?:process|globalThis|global|window|Deno|Bun|Date|Math\.random|crypto|performance|eval|Function)\b/;

/**
 * True when the file imports nothing but "stratum" and names nothing through which it could read
 * its environment (process.env, the clock, globals): whatever it does follows from its text and
 * Stratum alone, so what one run learnt from it holds for the next run with the same text.
 */
export function selfContained(text: string): boolean {
  return !ENVIRONMENT.test(text) && stratumOnlyImports(text) !== undefined;
}
