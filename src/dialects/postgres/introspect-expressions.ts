/**
 * PostgreSQL's deparsed expressions are not always a fixed point: `status IN ('a', 'b')` on a
 * varchar column deparses to `status::text = ANY (ARRAY['a'::character varying, ...]::text[])`,
 * and creating a constraint from that text deparses to `ARRAY['a'::character varying::text, ...]`.
 * A schema declared in SQL and the same schema created by a generated revision would then never
 * compare equal. Introspection therefore reports the second, stable spelling.
 */

/** `'...'::type` with the literal's quotes doubled inside. */
const CAST_LITERAL = String.raw`'(?:[^']|'')*'::[a-z_][a-z0-9_ ]*(?:\([0-9, ]+\))?`;
const ARRAY_OF_CAST_LITERALS = new RegExp(
  String.raw`ARRAY\[((?:${CAST_LITERAL})(?:, ${CAST_LITERAL})*)\]::([a-z_][a-z0-9_ ]*?(?:\([0-9, ]+\))?)\[\]`,
  "g",
);
const ONE_CAST_LITERAL = new RegExp(CAST_LITERAL, "g");

export function stableExpression(text: string): string {
  return text.replace(ARRAY_OF_CAST_LITERALS, (whole: string, elements: string, elementType: string) => {
    const items = elements.match(ONE_CAST_LITERAL);
    if (!items || items.every((item) => item.endsWith(`::${elementType}`))) return whole;
    return `ARRAY[${items.map((item) => `${item}::${elementType}`).join(", ")}]`;
  });
}
