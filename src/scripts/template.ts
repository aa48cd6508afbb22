/** `{{name}}` placeholders in revision templates. */
import { InputError } from "../errors.js";

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Replaces each `{{name}}` with its value. A value of several lines keeps the indentation of
 * the placeholder's line on every line. An unknown name is an InputError naming the template.
 */
export function renderTemplate(template: string, values: Record<string, string>, templatePath: string): string {
  return template.replace(PLACEHOLDER, (match: string, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) {
      const line = template.slice(0, offset).split("\n").length;
      throw new InputError(`unknown placeholder ${match} in revision template (known: ${Object.keys(values).map((k) => `{{${k}}}`).join(" ")})`, { file: templatePath, line });
    }
    const lineStart = template.lastIndexOf("\n", offset - 1) + 1;
    const indent = /^[ \t]*/.exec(template.slice(lineStart, offset))?.[0] ?? "";
    if (indent.length !== offset - lineStart) return value;
    return value.split("\n").map((line, i) => (i === 0 || line === "" ? line : indent + line)).join("\n");
  });
}
