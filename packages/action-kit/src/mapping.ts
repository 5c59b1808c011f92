import { parse as parseYaml } from 'yaml';
import { errorMessage } from './errors.js';

/**
 * Reads a mapping given as `KEY=VALUE` lines, or as a YAML or JSON object.
 * Values are kept as strings (numbers and booleans from YAML are stringified),
 * because everything here ends up as environment text.
 * Throws an Error with a human-readable reason when the text is neither.
 */
export function parseMapping(text: string): Map<string, string> {
  const trimmed = text.trim();
  const result = new Map<string, string>();
  if (trimmed === '') return result;
  if (trimmed.startsWith('{') || looksLikeYamlMapping(trimmed)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(trimmed);
    } catch (error) {
      throw new Error(`is not valid YAML/JSON (${errorMessage(error).split('\n')[0]})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('must be a mapping of names to values');
    }
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object') {
        throw new Error(`value of '${key}' must be a string, number or boolean, not a nested object`);
      }
      result.set(key, value === null || value === undefined ? '' : String(value));
    }
    return result;
  }
  const lines = trimmed.split(/\r?\n/);
  lines.forEach((line, index) => {
    const content = line.trimStart();
    if (content.trim() === '' || content.startsWith('#')) return;
    const eq = content.indexOf('=');
    if (eq <= 0) {
      throw new Error(`line ${index + 1} is not KEY=VALUE (got '${content.trim().slice(0, 40)}')`);
    }
    // The value is kept as written, trailing spaces included: they may be part of it.
    result.set(content.slice(0, eq).trim(), content.slice(eq + 1));
  });
  return result;
}

/** `KEY: value` on the first meaningful line, with no `=` before the colon. */
function looksLikeYamlMapping(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  const colon = first.indexOf(':');
  const eq = first.indexOf('=');
  return colon > 0 && (eq < 0 || colon < eq) && /^[\w.-]+\s*:(\s|$)/.test(first.trim());
}
