import { shannonEntropy } from './entropy.js';

/**
 * Values people write where a secret will go later, or that point at one kept
 * elsewhere: these are the look-alikes that make naive scanners noisy.
 */
const REFERENCE =
  /\$\{|\$\(|\{\{|\}\}|%\(|<[^>]*>|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^@[A-Za-z_]+@$|^process\.env|^os\.(?:environ|getenv)|^env\(|^getenv|^ENV\[|^secrets\./i;
const WORDS =
  /example|changeme|change_me|change-me|placeholder|your[_-]?(?:api|secret|token|key|pass|own)|redacted|dummy|sample|replace[_-]?me|insert[_-]?here|todo|fixme|notreal|not[_-]a[_-]real|fake|xxxx|\*\*\*/i;
const REPEATED_RUN = /(.)\1{5,}/;
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', '9876543210', 'qwertyuiop', 'asdfghjkl'];

/** True for placeholders and references such as `changeme`, `<token>`, `${API_KEY}`, `${{ secrets.X }}`, `xxxx`, `AKIA…EXAMPLE`. */
export function isPlaceholder(value: string): boolean {
  if (REFERENCE.test(value) || WORDS.test(value) || REPEATED_RUN.test(value)) return true;
  const lower = value.toLowerCase();
  return SEQUENCES.some((seq) => lower.includes(seq.slice(0, 8)));
}

/** A unit of one to four characters repeated: `xxxxxx`, `abababab`, `FAKEFAKEFAKE`. */
const FILLER = /(.)\1{5,}|(..)\2{3,}|(...)\3{2,}|(....)\4{2,}/;

/**
 * For tokens with an exact format (prefix, alphabet, length): only what cannot be
 * random is a placeholder. A random 36-character body holds `Todo`, `FAKE` or
 * `sample` now and then (a 4-letter word in about 1 in 30,000 tokens), so words do not
 * count; filler runs and the documented example values (`AKIA…EXAMPLE`) do.
 */
export function isFillerInExactFormat(value: string): boolean {
  if (FILLER.test(value) || /EXAMPLE|<[^>]*>|\$\{|\{\{/.test(value)) return true;
  const lower = value.toLowerCase();
  return SEQUENCES.some((seq) => lower.includes(seq.slice(0, 8)));
}

/**
 * True when a generic "name = value" match holds code rather than a literal
 * secret: an identifier, a dotted path, a call, a type name.
 */
const VOWEL = /[aeiouy]/i;

/**
 * True for identifiers made of words (`tokenOrFileId`, `RSAPrivateKey`,
 * `id_PrivateKeyUsagePeriod`): split at `_` and case changes, every part reads
 * like a word or an acronym. Random letters split into short, vowel-less bits.
 */
function isWordIdentifier(value: string): boolean {
  // Bundlers and compilers suffix renamed identifiers: `Token$1`, `previousToken2`.
  const name = value.replace(/\$?\d{1,3}$/, '');
  if (!/^[A-Za-z_$]+$/.test(name)) return false;
  const parts = name.split(/[_$]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/).filter(Boolean);
  return parts.every(
    (p, i) =>
      (p.length >= 3 && VOWEL.test(p)) ||
      /^[A-Z]{1,5}$/.test(p) ||
      /^(?:id|is|of|to|in|on|by|at|or|no|if)$/i.test(p) ||
      (i === 0 && p.length === 1), // kName, mField, _private
  );
}

// Example values in docs are assembled from these.
const DOC_FRAGMENTS = ['abc', '123', 'xyz', 'foo', 'bar', '456', '789', 'qwe', 'test'];

export function looksLikeCode(value: string): boolean {
  if (/^[!?&*]/.test(value) && value.length > 1) return looksLikeCode(value.replace(/^[!?&*]+/, ''));
  if (isWordIdentifier(value)) return true;
  if (value.length <= 20 && DOC_FRAGMENTS.filter((f) => value.toLowerCase().includes(f)).length >= 2)
    return true;
  if (/^[a-z]+(?:[_-][a-z]+)*$/.test(value)) return true; // snake_case / kebab word
  if (/^[A-Z]+(?:_[A-Z0-9]+)*$/.test(value)) return true; // CONSTANT_NAME
  if (/^[a-z]{2,}(?:[A-Z][a-z]{2,})+$/.test(value)) return true; // camelCase
  if (/^(?:[A-Z][a-z]{2,})+$/.test(value)) return true; // PascalCase
  if (/^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+(?:\(.*)?$/.test(value)) return true; // a.b.c, a?.b or a.b()
  if (/^[A-Za-z_][\w.]*\(/.test(value)) return true; // call
  if (/^(?:true|false|null|none|nil|undefined|string|number|boolean|bytes|str|int)$/i.test(value))
    return true;
  if (/^(?:https?|file):\/\//i.test(value) && !/:[^/@]+@/.test(value)) return true; // a URL without credentials
  // A path starts at a root or ends in a file name; base64 with slashes does neither.
  // A single random segment after a `/` (`/Tq3+…`, as some AWS secret keys start) is no path.
  if (/^(?:\.{0,2}\/|~\/)(?:[\w.-]+\/)*[\w.-]*$/.test(value) && !isRandomSegment(value)) return true;
  if (/^(?:[\w.-]+\/)+[\w-]+\.[a-z0-9]{1,5}$/.test(value)) return true;
  return false;
}

/** `/Tq3+…`: long, upper and lower case, high entropy, no file extension: random, not a path. */
function isRandomSegment(value: string): boolean {
  return (
    value.length >= 30 &&
    /[A-Z]/.test(value) &&
    /[a-z]/.test(value) &&
    !/\.[a-z0-9]{1,5}$/.test(value) &&
    shannonEntropy(value.replace(/\//g, '')) >= 4
  );
}
