/** Checksums of revision files, stored when a revision is applied and compared by `verify`. */
import { createHash } from "node:crypto";

/**
 * `v1:` + sha256 hex of the text with a leading BOM removed and line endings normalized to LF,
 * so that a checkout on Windows (CRLF) matches one on Linux. The prefix versions the format.
 */
export function checksum(text: string): string {
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  return `v1:${createHash("sha256").update(normalized, "utf8").digest("hex")}`;
}
