/**
 * Hand-run scripts often wrap themselves in BEGIN/COMMIT. Inside a revision that would end the
 * runner's own transaction (and with it the version-table update), so those statements are
 * turned into comments that say why.
 */
export function withoutTransactionControl(text: string, statements: ReadonlyArray<{ line: number; sql: string }>): string {
  if (statements.length === 0) return text;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  let result = "";
  let copied = 0;
  for (const statement of statements) {
    const from = lineStarts[statement.line - 1] ?? 0;
    const start = text.indexOf(statement.sql, Math.max(from, copied));
    if (start === -1) continue;
    let end = start + statement.sql.length;
    const semicolon = /^\s*;/.exec(text.slice(end));
    if (semicolon) end += semicolon[0].length;
    result += text.slice(copied, start) + `-- ${statement.sql.replace(/\s+/g, " ")}; (removed on import: each revision runs in its own transaction)`;
    copied = end;
  }
  return result + text.slice(copied);
}
