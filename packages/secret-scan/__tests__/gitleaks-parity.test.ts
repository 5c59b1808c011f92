import { builtinRules, PKCS12_RULE } from '@deploy-actions/secret-scan';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Both files live in this repository: the test reads no network and nothing outside it.
const read = (relative: string): string =>
  readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
const gitleaksIds = read('../../../test/fixtures/secret-scan/gitleaks-default-rule-ids.txt')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const table = read('../src/rules/GITLEAKS-PARITY.md');

interface Row {
  gitleaks: string;
  ours: string[];
  note: string;
}

/** The rows of the first table: | `gitleaks-id` | `ours`, `ours` or — | note | (cells padded or not). */
function parityRows(): Row[] {
  const section = table.split('\n## ')[0]!;
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|([^|]*)\|(.*)\|\s*$/.exec(line);
    if (!m) continue;
    const ours = [...m[2]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!);
    rows.push({ gitleaks: m[1]!, ours, note: m[3]!.trim() });
  }
  return rows;
}

const rows = parityRows();
// The text rules, and the one rule that reads a binary file's bytes (a PKCS#12 key bundle).
const ourIds = new Set([...builtinRules().map((r) => r.id), PKCS12_RULE.id]);

describe("parity with gitleaks' default rules (GITLEAKS-PARITY.md)", () => {
  it('reads the whole gitleaks id list from the fixture', () => {
    expect(gitleaksIds.length).toBeGreaterThanOrEqual(200);
    expect(new Set(gitleaksIds).size).toBe(gitleaksIds.length);
  });

  it('has exactly one row for every gitleaks rule id, and no row for an id gitleaks lacks', () => {
    expect(rows.map((r) => r.gitleaks).sort()).toEqual([...gitleaksIds].sort());
  });

  it('names only rules that exist in the built-in pack', () => {
    const unknown = rows.flatMap((r) =>
      r.ours.filter((id) => !ourIds.has(id)).map((id) => `${r.gitleaks} → ${id}`),
    );
    expect(unknown).toEqual([]);
  });

  it('gives a reason for every gitleaks rule without a counterpart', () => {
    const unexplained = rows.filter((r) => r.ours.length === 0 && r.note.length < 20).map((r) => r.gitleaks);
    expect(unexplained).toEqual([]);
  });

  it('states the counts it claims', () => {
    const covered = rows.filter((r) => r.ours.length > 0).length;
    expect(table).toContain(`**${covered} of ${gitleaksIds.length}**`);
    expect(table).toContain(`**${gitleaksIds.length - covered}**`);
  });

  it('names only existing rules in the betterleaks section', () => {
    const section = table.split('\n## ')[1]!;
    const named = [...section.matchAll(/^\|\s*`[^`]+`\s*\|\s*`([^`]+)`\s*\|\s*$/gm)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((id) => !ourIds.has(id))).toEqual([]);
  });
});
