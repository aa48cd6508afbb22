import { makeQuoting } from "../quote.js";

export const { quoteIdent, quoteList, qualify, quoteLiteral } = makeQuoting({ identQuote: "`", escapeBackslash: true, booleans: ["TRUE", "FALSE"] });
