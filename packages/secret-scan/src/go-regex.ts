import { errorMessage } from '@deploy-actions/action-kit';
/**
 * Translates the RE2 (Go) syntax gitleaks configs are written in to a JavaScript
 * RegExp. Node 20 has no inline flag groups, so a `(?i)` that is not at the very
 * start makes the rest of its group case-insensitive by spelling letters as
 * `[aA]`; possessive and atomic forms have no JavaScript equivalent and are
 * refused with a message naming the rule.
 */
export class RegexTranslationError extends Error {}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: '0-9A-Fa-f',
};

export function translateGoRegex(source: string): RegExp {
  let flags = '';
  let pattern = source;
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (leading) {
    if (leading[1]!.includes('U'))
      throw new RegexTranslationError('the U (ungreedy) flag has no JavaScript equivalent');
    flags = [...new Set(leading[1]!.replace('U', ''))].join('');
    pattern = pattern.slice(leading[0].length);
  }
  let unicode = false;
  let out = '';
  // Stack of open groups: whether case-insensitivity was switched on inside them.
  const groups: boolean[] = [];
  let caseless = false;
  const caselessAt: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new RegexTranslationError('the pattern ends with a lone backslash');
      if (next === 'z') {
        out += '$(?![\\s\\S])';
        i++;
      } else if (next === 'A') {
        out += '(?<![\\s\\S])';
        i++;
      } else if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end < 0 ? undefined : end);
        const escaped = literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        out += caseless ? spellCaseless(escaped) : escaped;
        i = end < 0 ? pattern.length : end + 1;
      } else if (next === 'p' || next === 'P') {
        unicode = true;
        const m = /^\\[pP](\{[^}]+\}|[A-Za-z])/.exec(pattern.slice(i));
        if (!m) throw new RegexTranslationError('a \\p escape without a class');
        const cls = m[1]!.startsWith('{') ? m[1]! : `{${m[1]}}`;
        out += `\\${next}${cls}`;
        i += m[0].length - 1;
      } else {
        out += `\\${next}`;
        i++;
      }
      continue;
    }
    if (ch === '[') {
      const { text, end } = readClass(pattern, i, caseless);
      out += text;
      i = end;
      continue;
    }
    if (ch === '(') {
      if (pattern.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
        groups.push(false);
        caselessAt.push(caseless);
        continue;
      }
      if (pattern.startsWith('(?>', i))
        throw new RegexTranslationError('atomic groups (?>...) are not supported');
      const flagGroup = /^\(\?([imsU-]+)(:|\))/.exec(pattern.slice(i));
      if (flagGroup) {
        const [whole, set, kind] = flagGroup;
        if (/[U]/.test(set!) || /-.*i/.test(set!))
          throw new RegexTranslationError(`the flag group (?${set}${kind}) has no JavaScript equivalent`);
        const turnsOnI = set!.includes('i') && !flags.includes('i');
        if (/[sm]/.test(set!.replace(/-.*/, '')))
          flags = [...new Set(flags + set!.replace(/[^sm]/g, ''))].join('');
        if (kind === ')') {
          if (turnsOnI) caseless = true;
        } else {
          out += '(?:';
          groups.push(turnsOnI);
          caselessAt.push(caseless);
          if (turnsOnI) caseless = true;
        }
        i += whole!.length - 1;
        continue;
      }
      groups.push(false);
      caselessAt.push(caseless);
      out += '(';
      continue;
    }
    if (ch === ')') {
      groups.pop();
      caseless = caselessAt.pop() ?? false;
      out += ')';
      continue;
    }
    if ((ch === '+' || ch === '*' || ch === '?' || ch === '}') && pattern[i + 1] === '+') {
      throw new RegexTranslationError(`possessive quantifiers (${ch}+) are not supported`);
    }
    out += caseless && /[a-zA-Z]/.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch;
  }
  if (unicode) flags += 'u';
  try {
    return new RegExp(out, flags);
  } catch (error) {
    throw new RegexTranslationError(
      `it is not a valid regular expression once translated (${errorMessage(error)})`,
    );
  }
}

function spellCaseless(text: string): string {
  return text.replace(/\\.|[a-zA-Z]/g, (c) =>
    c.length === 1 ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c,
  );
}

/** Copies a character class, expanding POSIX names and adding the other case when case-insensitive. */
function readClass(pattern: string, start: number, caseless: boolean): { text: string; end: number } {
  let i = start + 1;
  let body = '';
  if (pattern[i] === '^') {
    body += '^';
    i++;
  }
  if (pattern[i] === ']') {
    body += '\\]';
    i++;
  }
  const extra: string[] = [];
  for (; i < pattern.length && pattern[i] !== ']'; i++) {
    const ch = pattern[i]!;
    if (ch === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = pattern.slice(i + 2, close);
      const expansion = POSIX_CLASSES[name];
      if (close < 0 || expansion === undefined)
        throw new RegexTranslationError(`unknown character class [:${name}:]`);
      body += expansion;
      i = close + 1;
      continue;
    }
    if (ch === '\\') {
      body += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '[') {
      body += '\\[';
      continue;
    }
    if (caseless && /[a-zA-Z]/.test(ch)) {
      if (pattern[i + 1] === '-' && /[a-zA-Z]/.test(pattern[i + 2] ?? '')) {
        const to = pattern[i + 2]!;
        body += `${ch}-${to}`;
        extra.push(`${swapCase(ch)}-${swapCase(to)}`);
        i += 2;
        continue;
      }
      extra.push(swapCase(ch));
    }
    body += ch;
  }
  if (i >= pattern.length) throw new RegexTranslationError('a character class is not closed');
  return { text: `[${body}${extra.join('')}]`, end: i };
}

function swapCase(c: string): string {
  return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}
