import { makeQuoting } from "../quote.js";

// SQLite has no boolean type: TRUE and FALSE are the integers 1 and 0.
export const { quoteIdent, quoteList, qualify, quoteLiteral } = makeQuoting({ identQuote: '"', escapeBackslash: false, booleans: ["1", "0"] });
