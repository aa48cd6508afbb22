/** Characters that are target syntax (`rev@head`, `-1`, `+2`, `a:b`) and so cannot appear in an id. */
const FORBIDDEN_IN_ID = ["@", "-", "+", ":"] as const;
/** Labels appear before `@` and around `:` in targets, so those two are forbidden in labels. */
const FORBIDDEN_IN_LABEL = ["@", ":"] as const;

/** Words with a meaning of their own in a target. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(["head", "heads", "base", "current"]);

/** Why `id` cannot be a revision id, or undefined when it can. */
export function invalidIdReason(id: string): string | undefined {
  if (id.length === 0) return "it is empty";
  if (/\s/.test(id)) return "it contains whitespace";
  const bad = FORBIDDEN_IN_ID.find((c) => id.includes(c));
  if (bad) return `it contains '${bad}' (ids may not contain @, -, + or :)`;
  if (RESERVED_NAMES.has(id)) return `'${id}' is a reserved target name`;
  return undefined;
}

/** Why `label` cannot be a branch label, or undefined when it can. */
export function invalidLabelReason(label: string): string | undefined {
  if (label.length === 0) return "it is empty";
  if (/\s/.test(label)) return "it contains whitespace";
  const bad = FORBIDDEN_IN_LABEL.find((c) => label.includes(c));
  if (bad) return `it contains '${bad}' (labels may not contain @ or :)`;
  if (RESERVED_NAMES.has(label)) return `'${label}' is a reserved target name`;
  return undefined;
}
