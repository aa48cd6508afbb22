export { planImport, type PlannedImport, type PlanImportOptions } from "./plan.js";
export { writeImportedRevisions, type WriteImportOptions } from "./write.js";
export { orderSqlFiles, parseOrderList, compareNames, isRollbackName, type ForwardFile, type OrderList } from "./order.js";
export { analyzeSql, notIdempotent, type AnalyzedSql, type StatementWarning } from "./analyze.js";
export { decodeUtf8 } from "./decode.js";
