import { parseReleases } from '../src/inventory.js';

describe('parseReleases', () => {
  it('reads each release record, status and images, oldest first, marking the current one', () => {
    const out = [
      'current=20260102T000000Z-bbbbbbb-0002',
      'release=20260102T000000Z-bbbbbbb-0002',
      'record={"id":"20260102T000000Z-bbbbbbb-0002","actor":"ana","createdAt":"2026-01-02T00:00:00.000Z","commit":"bbbbbbb"}',
      'status=active',
      'image=registry/app:v2 sha256:2',
      'release=20260101T000000Z-aaaaaaa-0001',
      'record={"actor":"bo","createdAt":"2026-01-01T00:00:00.000Z","run":"12/1"}',
      'status=failed: health gate',
      '',
    ].join('\n');
    const parsed = parseReleases(out);
    expect(parsed.current).toBe('20260102T000000Z-bbbbbbb-0002');
    expect(parsed.releases.map((r) => [r.id, r.actor, r.status, r.current, r.images])).toEqual([
      ['20260101T000000Z-aaaaaaa-0001', 'bo', 'failed: health gate', false, []],
      ['20260102T000000Z-bbbbbbb-0002', 'ana', 'active', true, ['registry/app:v2 sha256:2']],
    ]);
    expect(parsed.releases[0]!.run).toBe('12/1');
  });

  it('still lists a release whose record is damaged', () => {
    const parsed = parseReleases('release=R1\nrecord={"actor":\n');
    expect(parsed.releases).toEqual([{ id: 'R1', images: [], current: false }]);
    expect(parsed.current).toBeUndefined();
  });

  it('reads an empty answer (no .releases yet) as no releases', () => {
    expect(parseReleases('')).toEqual({ releases: [] });
  });
});
