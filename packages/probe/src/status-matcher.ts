/** Which HTTP statuses count as a pass, e.g. `200-299,301`. */
export interface StatusMatcher {
  /** The normalized text, for messages: `200-299,301`. */
  readonly text: string;
  readonly ranges: readonly (readonly [number, number])[];
  matches(status: number): boolean;
}

const PART = /^(\d{3})(?:\s*-\s*(\d{3}))?$/;

/**
 * Parses status codes and ranges separated by commas: `200`, `200-299,301`.
 * Throws an Error saying what is wrong (and the accepted form) on bad text.
 */
export function parseStatusMatcher(text: string): StatusMatcher {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new Error('is empty; use codes and ranges such as 200-299,301');
  const ranges: (readonly [number, number])[] = [];
  for (const part of parts) {
    const m = PART.exec(part);
    if (!m)
      throw new Error(`'${part}' is not a status code or range; use codes and ranges such as 200-299,301`);
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    for (const code of [low, high]) {
      if (code < 100 || code > 599) throw new Error(`'${part}': ${code} is not an HTTP status (100-599)`);
    }
    if (high < low) throw new Error(`'${part}' is a range whose end is below its start`);
    ranges.push([low, high]);
  }
  return {
    text: ranges.map(([l, h]) => (l === h ? String(l) : `${l}-${h}`)).join(','),
    ranges,
    matches: (status) => ranges.some(([l, h]) => status >= l && status <= h),
  };
}
