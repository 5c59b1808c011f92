/** Writing env values so that compose reads back exactly what was rendered. */

// Values made only of these characters mean the same quoted or not, to compose and
// to `docker run --env-file` (which does not strip quotes), so they are left bare.
const BARE_VALUE = /^[A-Za-z0-9_./:@+,=%^~-]*$/;

/**
 * Quotes a value for a compose `.env` file. Double quotes are the only form that
 * can hold every value: `\` and `"` are escaped, `$` is doubled (compose would
 * interpolate it otherwise), and line breaks are written as `\n` / `\r`.
 */
export function quoteDotenvValue(value: string): string {
  if (BARE_VALUE.test(value)) return value;
  const body = value.replace(/[\\"$\n\r]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '$':
        return '$$';
      case '\n':
        return '\\n';
      default:
        return '\\r';
    }
  });
  return `"${body}"`;
}

/** Key names compose's parser accepts and our writer emits verbatim. */
export function isValidEnvKey(key: string): boolean {
  return /^[\p{L}\p{N}_.\-[\]]+$/u.test(key);
}

/** A `.env` file: one `KEY=value` a line, in the given order. */
export function formatDotenv(entries: Iterable<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of entries) {
    if (!isValidEnvKey(key)) throw new Error(`'${key}' is not a valid env variable name`);
    out += `${key}=${quoteDotenvValue(value)}\n`;
  }
  return out;
}

/** A JSON object of the values, for workflows that read it with `fromJSON`. */
export function formatJson(entries: Iterable<readonly [string, string]>): string {
  return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}
