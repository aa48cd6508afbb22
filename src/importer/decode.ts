/** Legacy SQL files must be UTF-8; anything else is named with the line where decoding failed. */
import { InputError } from "../errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError("file is UTF-16 encoded; save it as UTF-8 and import again", { file });
  }
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    const offset = firstInvalidByte(bytes);
    const line = countLines(bytes, offset);
    const shown = (bytes[offset] ?? 0).toString(16).padStart(2, "0");
    throw new InputError(`file is not valid UTF-8 (byte 0x${shown}); convert it to UTF-8 (for example with iconv -f latin1 -t utf-8) and import again`, { file, line });
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let start = 0; start < bytes.length; ) {
    const lead = bytes[start]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0) return start;
    for (let i = 1; i < length; i++) {
      const next = bytes[start + i];
      if (next === undefined || (next & 0xc0) !== 0x80) return start;
    }
    start += length;
  }
  return bytes.length;
}

function countLines(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
