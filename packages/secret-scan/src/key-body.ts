/**
 * A line that may be part of a private key's body: 40 to 100 characters once trimmed
 * (the raw line at most 120 bytes), no inner space, only base64 characters, with upper
 * case, lower case and digits all present (not `////…` or `====…` lines).
 */
export function isKeyBodyLine(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 40 || end - start > 120) return false;
  while (start < end && isSpace(buf[start]!)) start++;
  while (end > start && isSpace(buf[end - 1]!)) end--;
  if (end - start < 40 || end - start > 100) return false;
  let lower = false;
  let upper = false;
  let digit = false;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 97 && b <= 122) lower = true;
    else if (b >= 65 && b <= 90) upper = true;
    else if (b >= 48 && b <= 57) digit = true;
    else if (b !== 43 && b !== 47 && b !== 61) return false;
  }
  return lower && upper && digit;
}

function isSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}
