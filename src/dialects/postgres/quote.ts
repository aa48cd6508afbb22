import { makeQuoting } from "../quote.js";

export const { quoteIdent, qualify, quoteLiteral } = makeQuoting({ identQuote: '"', escapeBackslash: false, booleans: ["TRUE", "FALSE"] });
