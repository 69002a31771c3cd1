/**
 * Text as the rules see it and bytes as the file holds them. The rules work on plain text: no
 * byte order mark, "\n" line ends. What is written back gets the file's own BOM and line ends
 * again, so a conversion changes only what its rules changed.
 */
import { isUtf8 } from "node:buffer";

/** How a file's text is stored. */
export interface TextStyle {
  /** Starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** Every line ends with "\r\n" (a file mixing both is left as it is: the rules see the "\r"). */
  crlf: boolean;
  /** The offset of the first byte that is not valid UTF-8, when there is one. */
  invalidAt?: number;
}

export const PLAIN: TextStyle = { bom: false, crlf: false };

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function decodeText(bytes: Buffer): { text: string; style: TextStyle } {
  const bom = bytes.subarray(0, 3).equals(BOM);
  // Invalid bytes decode to U+FFFD here, which is good enough to search the text; such a file
  // is never written back (see the commit's checks).
  const invalidAt = isUtf8(bytes) ? undefined : firstInvalidUtf8(bytes);
  let text = bytes.toString("utf8", bom ? 3 : 0);
  const crlf = text.includes("\r\n") && !/(^|[^\r])\n/.test(text);
  if (crlf) text = text.replaceAll("\r\n", "\n");
  const style: TextStyle =
    invalidAt === undefined ? { bom, crlf } : { bom, crlf, invalidAt };
  return { text, style };
}

export function encodeText(text: string, style: TextStyle): Buffer {
  const body = style.crlf ? text.replace(/\r?\n/g, "\r\n") : text;
  return Buffer.from(style.bom ? `\uFEFF${body}` : body, "utf8");
}

export function isPlain(style: TextStyle): boolean {
  return !style.bom && !style.crlf && style.invalidAt === undefined;
}

/**
 * Where the first malformed sequence starts (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF); bytes.length when there is none.
 */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return bytes.length;
}
