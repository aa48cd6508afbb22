/**
 * Expands the globs that name SQL schema files (`schema/*.sql`, `db/**\/*.sql`, a file or a
 * folder) into a sorted list of paths. Only `*`, `?` and `**` are understood, which is all a
 * schema setting needs.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

const WILDCARD = /[*?[]/;

export function expandSchemaGlobs(patterns: readonly string[], cwd: string): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) {
    for (const file of expandOne(pattern, cwd)) found.add(file);
  }
  return [...found].sort();
}

function expandOne(pattern: string, cwd: string): string[] {
  const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  if (!WILDCARD.test(pattern)) {
    if (!existsSync(absolute)) return [];
    if (statSync(absolute).isDirectory()) return walk(absolute).filter((f) => f.endsWith(".sql"));
    return [absolute];
  }
  const segments = absolute.split(/[\\/]/);
  const firstWild = segments.findIndex((s) => WILDCARD.test(s));
  const base = segments.slice(0, firstWild).join(sep) || sep;
  if (!existsSync(base)) return [];
  const matcher = globToRegExp(segments.slice(firstWild).join("/"));
  return walk(base).filter((file) => matcher.test(relative(base, file).split(sep).join("/")));
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      // "**/" matches any number of folders, including none.
      if (glob[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
