/** File names for new revisions, from a template such as `{year}_{month}_{day}_{id}_{slug}`. */
import { InputError } from "../errors.js";

export const DEFAULT_FILE_TEMPLATE = "{id}_{slug}";
const SLUG_MAX_LENGTH = 40;

/** `message` as lowercase words joined by `_`, cut at a word boundary after 40 characters. */
export function slugify(message: string): string {
  const words = message.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").split(/[^a-z0-9]+/).filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}_${word}` : word;
    if (next.length > SLUG_MAX_LENGTH) return slug || word.slice(0, SLUG_MAX_LENGTH);
    slug = next;
  }
  return slug;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The file name (without extension) for a new revision. Dates are UTC. */
export function revisionFileName(fileTemplate: string, fields: { id: string; message: string; now: Date }): string {
  const { now } = fields;
  const values: Record<string, string> = {
    id: fields.id,
    slug: slugify(fields.message),
    year: String(now.getUTCFullYear()),
    month: pad(now.getUTCMonth() + 1),
    day: pad(now.getUTCDate()),
    date: `${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}`,
    time: `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`,
  };
  if (!fileTemplate.includes("{id}")) {
    throw new InputError(`fileTemplate "${fileTemplate}" must contain {id} so that every revision gets its own file`);
  }
  const name = fileTemplate.replace(/\{([^{}]*)\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new InputError(`fileTemplate "${fileTemplate}" has an unknown placeholder ${match} (known: ${Object.keys(values).map((k) => `{${k}}`).join(" ")})`);
    return value;
  });
  // An empty slug would leave a dangling separator: "abc_" becomes "abc".
  const tidy = name.replace(/([_-])[_-]+/g, "$1").replace(/^[_.\-]+|[_\-]+$/g, "");
  if (/[\\/]/.test(tidy) || tidy === "") throw new InputError(`fileTemplate "${fileTemplate}" must produce a plain file name, not "${tidy}"`);
  return tidy;
}
