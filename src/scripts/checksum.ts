/** Checksums of revision files, stored when a revision is applied and compared by `verify`. */
import { hash } from "node:crypto";

/**
 * `v1:` + sha256 hex of the text with a leading BOM removed and line endings normalized to LF,
 * so that a checkout on Windows (CRLF) matches one on Linux. The prefix versions the format.
 * A run checksums every revision it applies, so the common text (no BOM, no CR) is hashed as
 * it is, and the one-shot hash spares creating a Hash object per file.
 */
export function checksum(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const normalized = withoutBom.includes("\r") ? withoutBom.replace(/\r\n?/g, "\n") : withoutBom;
  return `v1:${hash("sha256", normalized, "hex")}`;
}
