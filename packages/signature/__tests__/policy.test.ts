import {
  anchoredPattern,
  identityMismatch,
  loadPublicKey,
  parseTrustedRoot,
  predicateMatches,
  publicGoodTrustedRoot,
  requiredPredicate,
} from '@deploy-actions/signature';
import { generateKeyPairSync } from 'node:crypto';

describe('identity policy', () => {
  it('anchors a pattern at both ends', () => {
    expect(anchoredPattern('https://github.com/org/.*').test('https://github.com/org/app')).toBe(true);
    expect(anchoredPattern('https://github.com/org/app').test('https://github.com/org/app-evil')).toBe(false);
    expect(anchoredPattern('a|b').test('xb')).toBe(false);
  });

  it('explains an identity mismatch by naming the signer', () => {
    expect(
      identityMismatch(
        { identity: 'https://a' },
        { subjectAlternativeName: 'https://b', issuer: 'https://i' },
      ),
    ).toBe('signed, but by https://b (issuer https://i), not https://a');
  });
});

describe('predicate types', () => {
  it('accepts SLSA v0.2 and v1 provenance for slsaprovenance', () => {
    const required = requiredPredicate('slsaprovenance')!;
    expect(predicateMatches(required, 'https://slsa.dev/provenance/v0.2')).toBe(true);
    expect(predicateMatches(required, 'https://slsa.dev/provenance/v1')).toBe(true);
    expect(predicateMatches(required, 'https://spdx.dev/Document')).toBe(false);
  });

  it('takes a full URI as itself', () => {
    expect(requiredPredicate('https://example.com/custom/v1')).toEqual({
      name: 'https://example.com/custom/v1',
      accepts: ['https://example.com/custom/v1'],
    });
  });

  it('refuses a name that is neither an alias nor a URI', () => {
    expect(requiredPredicate('sbom')).toBeUndefined();
  });
});

describe('public keys', () => {
  it('fingerprints a P-256 key as SHA256 of its SubjectPublicKeyInfo', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = loadPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(key.algorithm).toBe('ecdsa-p256');
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('refuses an ECDSA key on another curve', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    expect(() => loadPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString())).toThrow(
      /curve secp384r1/,
    );
  });
});

describe('trusted roots', () => {
  it('ships a public-good root with Fulcio, Rekor and a timestamp authority', () => {
    const root = publicGoodTrustedRoot();
    expect(root.certificateAuthorities.map((ca) => ca.uri)).toContain('https://fulcio.sigstore.dev');
    expect(root.tlogs.some((t) => t.baseUrl === 'https://rekor.sigstore.dev')).toBe(true);
    expect(root.timestampAuthorities.map((tsa) => tsa.uri)).toContain(
      'https://timestamp.sigstore.dev/api/v1/timestamp',
    );
  });

  it('refuses a root whose log has no validity start', () => {
    expect(() =>
      parseTrustedRoot({
        tlogs: [{ baseUrl: 'https://log', publicKey: { rawBytes: 'AA==', validFor: {} } }],
      }),
    ).toThrow(/no validFor.start/);
  });
});
