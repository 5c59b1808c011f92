/**
 * What a file's bytes are, decided from the bytes and not from the name or git's
 * attributes: UTF-16 (with a BOM, or the tell-tale NUL every other byte) is
 * decoded; text with a few stray NUL bytes is text; only content that reads as
 * neither is binary, and binary is listed as not scanned, never silently passed.
 */
export type Content =
  { kind: 'text'; data: Uint8Array; encoding?: string } | { kind: 'binary'; reason: string };

const SAMPLE = 8000;

export function classifyContent(data: Uint8Array): Content {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe)
    return { kind: 'text', data: utf16(data.subarray(2), 'le'), encoding: 'UTF-16LE' };
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff)
    return { kind: 'text', data: utf16(data.subarray(2), 'be'), encoding: 'UTF-16BE' };
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf)
    return { kind: 'text', data: data.subarray(3) };
  const n = Math.min(data.length, SAMPLE);
  let nul = 0;
  let nulEven = 0;
  let nulOdd = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if (b === 0) {
      nul++;
      if (i & 1) nulOdd++;
      else nulEven++;
    } else if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  }
  if (nul === 0 && control <= n / 20) return { kind: 'text', data };
  // UTF-16 without a BOM: ASCII text leaves every other byte NUL.
  const half = n / 2;
  if (n >= 16 && nulOdd >= half * 0.9 && nulEven <= half * 0.1)
    return { kind: 'text', data: utf16(data, 'le'), encoding: 'UTF-16LE' };
  if (n >= 16 && nulEven >= half * 0.9 && nulOdd <= half * 0.1)
    return { kind: 'text', data: utf16(data, 'be'), encoding: 'UTF-16BE' };
  // Stray NULs in otherwise printable text (a padded header, a bad editor) do not make it binary.
  if (nul + control <= n / 20) return { kind: 'text', data };
  return { kind: 'binary', reason: 'binary content' };
}

function utf16(data: Uint8Array, order: 'le' | 'be'): Uint8Array {
  let bytes = Buffer.from(data.buffer, data.byteOffset, data.length - (data.length & 1));
  if (order === 'be') bytes = Buffer.from(bytes).swap16();
  return Buffer.from(bytes.toString('utf16le'), 'utf8');
}
