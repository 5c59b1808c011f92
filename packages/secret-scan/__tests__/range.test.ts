import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '@deploy-actions/secret-scan';

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

function event(payload: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'range-event-')), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

describe('resolveTarget in auto mode', () => {
  it('takes a pull request from its base sha to its head sha, expecting its commit count', () => {
    const target = resolveTarget({
      mode: 'auto',
      eventName: 'pull_request',
      eventPath: event({ pull_request: { base: { sha: BASE }, head: { sha: HEAD }, commits: 42 } }),
    });
    expect(target).toMatchObject({ kind: 'commits', revisions: [`${BASE}..${HEAD}`], expectedCommits: 42 });
  });

  it('takes a push from before to after', () => {
    const target = resolveTarget({
      mode: 'auto',
      eventName: 'push',
      eventPath: event({ ref: 'refs/heads/main', before: BASE, after: HEAD }),
    });
    expect(target).toMatchObject({ kind: 'commits', revisions: [`${BASE}..${HEAD}`] });
  });

  it('treats a push with an all-zero before as a new branch', () => {
    const target = resolveTarget({
      mode: 'auto',
      eventName: 'push',
      eventPath: event({ ref: 'refs/heads/feature/x', before: ZERO, after: HEAD }),
    });
    expect(target).toMatchObject({ kind: 'commits', newBranch: 'feature/x', head: HEAD });
  });

  it('scans nothing for a deleted branch', () => {
    const target = resolveTarget({
      mode: 'auto',
      eventName: 'push',
      eventPath: event({ ref: 'refs/heads/old', before: HEAD, after: ZERO, deleted: true }),
    });
    expect(target.kind).toBe('nothing');
  });

  it('takes a merge queue entry from its base sha to its head sha', () => {
    const target = resolveTarget({
      mode: 'auto',
      eventName: 'merge_group',
      eventPath: event({ merge_group: { base_sha: BASE, head_sha: HEAD } }),
    });
    expect(target).toMatchObject({ kind: 'commits', revisions: [`${BASE}..${HEAD}`] });
  });

  it('falls back to the working tree on other events', () => {
    expect(
      resolveTarget({ mode: 'auto', eventName: 'workflow_dispatch', eventPath: event({ inputs: {} }) }).kind,
    ).toBe('tree');
  });

  it('lets the base and head inputs override the event', () => {
    const target = resolveTarget({
      mode: 'auto',
      base: 'v1.0',
      head: 'v1.1',
      eventName: 'push',
      eventPath: event({ before: BASE, after: HEAD }),
    });
    expect(target).toMatchObject({ revisions: ['v1.0..v1.1'] });
  });
});
