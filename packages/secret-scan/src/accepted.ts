import { readFileSync } from 'node:fs';
import { errorMessage, UserError } from '@deploy-actions/action-kit';
import { fingerprintOf, sha256Hex } from './redact.js';
import type { Finding } from './types.js';

interface GitleaksStyleEntry {
  commit?: string;
  file: string;
  ruleId: string;
  line: number;
}

/**
 * Findings a team has accepted: fingerprints from an ignore file
 * (`.gitleaksignore` / `.secretscanignore`) and the findings of a baseline report.
 * Both our fingerprints (`file:rule:hash`) and gitleaks' (`commit:file:rule:line`,
 * `file:rule:line`) are understood.
 */
export class AcceptedFindings {
  private readonly fingerprints = new Set<string>();
  private readonly gitleaksEntries: GitleaksStyleEntry[] = [];
  baselineCount = 0;

  addIgnoreFile(text: string): void {
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const gitleaks = /^(?:([0-9a-f]{7,40}):)?(.+):([\w.-]+):(\d+)$/.exec(line);
      if (gitleaks) {
        this.gitleaksEntries.push({
          commit: gitleaks[1],
          file: gitleaks[2]!,
          ruleId: gitleaks[3]!,
          line: Number(gitleaks[4]),
        });
      } else {
        this.fingerprints.add(line);
      }
    }
  }

  /** A JSON report from a previous run (ours), or a gitleaks JSON report. */
  addBaseline(file: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UserError(
        'baseline-invalid',
        `The baseline ${file} could not be read as JSON: ${errorMessage(error).split('\n')[0]}. Pass the report-file of an earlier run.`,
      );
    }
    const entries: unknown[] = Array.isArray(parsed)
      ? parsed
      : Array.isArray((parsed as { findings?: unknown[] })?.findings)
        ? (parsed as { findings: unknown[] }).findings
        : [];
    if (!Array.isArray(parsed) && !Array.isArray((parsed as { findings?: unknown[] })?.findings)) {
      throw new UserError(
        'baseline-invalid',
        `The baseline ${file} has no findings list. Pass the report-file of an earlier run (or a gitleaks JSON report).`,
      );
    }
    for (const entry of entries as Record<string, unknown>[]) {
      if (typeof entry['fingerprint'] === 'string' && typeof entry['ruleId'] === 'string') {
        this.fingerprints.add(entry['fingerprint']);
      } else if (
        typeof entry['RuleID'] === 'string' &&
        typeof entry['File'] === 'string' &&
        typeof entry['Secret'] === 'string'
      ) {
        this.fingerprints.add(fingerprintOf(entry['RuleID'], entry['File'], sha256Hex(entry['Secret'])));
        if (typeof entry['StartLine'] === 'number') {
          this.fingerprints.add(
            fingerprintOf(
              entry['RuleID'],
              entry['File'],
              sha256Hex(entry['Secret']),
              entry['Secret'],
              entry['StartLine'],
            ),
          );
        }
      } else continue;
      this.baselineCount++;
    }
  }

  has(finding: Finding): boolean {
    if (this.fingerprints.has(finding.fingerprint)) return true;
    // Reports written before weak secrets lost their hash still name them by it.
    if (
      finding.secret &&
      this.fingerprints.has(fingerprintOf(finding.ruleId, finding.file, finding.secretHash))
    )
      return true;
    return this.gitleaksEntries.some(
      (e) =>
        e.ruleId === finding.ruleId &&
        e.file === finding.file &&
        e.line === finding.line &&
        (e.commit === undefined || (finding.commit !== undefined && finding.commit.startsWith(e.commit))),
    );
  }
}
