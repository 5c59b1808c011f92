/**
 * Returns a function that replaces every secret value in a text by `***`, for
 * messages and summaries built from text that may hold one (an error that quotes
 * a value, a body a server echoed). Longest first, so no secret survives in part;
 * each line of a multi-line secret too, as the runner masks them.
 */
export function secretRedactor(secretValues: readonly string[]): (text: string) => string {
  const lines = secretValues.flatMap((v) =>
    /[\r\n]/.test(v) ? v.split(/\r?\n/).filter((l) => l.trim().length >= 4) : [],
  );
  const values = [...new Set([...secretValues, ...lines])]
    .filter((v) => v !== '')
    .sort((a, b) => b.length - a.length);
  return (text) => values.reduce((t, v) => t.split(v).join('***'), text);
}
