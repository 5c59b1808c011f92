// Test tokens are assembled at run time from pieces (j('gh', 'p_', …)) so that
// neither this repository's own secret scan nor push protection sees a token here.
let state = 7;
function next(): number {
  state = (state * 1103515245 + 12345) & 0x7fffffff;
  return state / 0x7fffffff;
}
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGIT = '0123456789';
function from(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}
export const j = (...parts: string[]): string => parts.join('');
export const hex = (n: number): string => from('0123456789abcdef', n);
export const alnum = (n: number): string => from(LOWER + UPPER + DIGIT, n);
export const b64url = (n: number): string => from(`${LOWER}${UPPER}${DIGIT}-_`, n);
export const b64 = (n: number): string => from(`${LOWER}${UPPER}${DIGIT}+/`, n);
export const upnum = (n: number): string => from(UPPER + DIGIT, n);
export const lownum = (n: number): string => from(LOWER + DIGIT, n);
export const letters = (n: number): string => from(LOWER + UPPER, n);
export const digits = (n: number): string => from(DIGIT, n);
export const base32 = (n: number): string => from(`${UPPER}234567`, n);
export const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
export const pem = (type: string, lines: number): string =>
  [
    j('-----BEGIN ', type, ' KEY-----'),
    ...Array.from({ length: lines }, () => b64(64)),
    j('-----END ', type, ' KEY-----'),
  ].join('\n');
export const jwt = (): string => {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ sub: uuid(), aud: 'api' })}.${b64url(86)}`;
};
