import { readFileSync } from 'node:fs';
import { parseTrustedRoot, verifyBundle, type TrustPolicy } from '@deploy-actions/signature';

// sigstore-conformance's rekor2-dsse-happy-path (see the fixture's README.md): an in-toto DSSE
// envelope logged to Rekor v2 as hashedrekord/0.0.2 over SHA-256(PAE(payloadType, payload)).
const dir = new URL('../../../test/fixtures/verify-signature/rekor2-dsse/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const SIGNER =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';

interface BundleJson {
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
  verificationMaterial: { tlogEntries: { canonicalizedBody: string }[] };
}
const bundle = (): BundleJson => JSON.parse(read('bundle.sigstore.json')) as BundleJson;
const root = parseTrustedRoot(JSON.parse(read('trusted_root.json')));
const policy: TrustPolicy = {
  kind: 'keyless',
  identity: { identity: SIGNER, issuer: 'https://token.actions.githubusercontent.com' },
  trustedRoot: root,
};

describe('a Rekor v2 bundle whose DSSE envelope is logged as hashedrekord 0.0.2', () => {
  it('is accepted, with the certificate identity as signer', () => {
    const outcome = verifyBundle(bundle(), undefined, policy, root);
    expect(outcome).toEqual({
      ok: true,
      signer: expect.objectContaining({ subjectAlternativeName: SIGNER }) as unknown,
    });
  });

  it('is rejected when one byte of the payload is changed', () => {
    const json = bundle();
    const payload = Buffer.from(json.dsseEnvelope.payload, 'base64');
    payload[payload.length - 2] ^= 0x01;
    json.dsseEnvelope.payload = payload.toString('base64');
    const outcome = verifyBundle(json, undefined, policy, root);
    expect(outcome).toMatchObject({ ok: false, rejection: 'bad-signature' });
  });

  it('is rejected when the logged digest is changed', () => {
    const json = bundle();
    const entry = json.verificationMaterial.tlogEntries[0]!;
    const body = JSON.parse(Buffer.from(entry.canonicalizedBody, 'base64').toString('utf8')) as {
      spec: { hashedRekordV002: { data: { digest: string } } };
    };
    const digest = Buffer.from(body.spec.hashedRekordV002.data.digest, 'base64');
    digest[0] ^= 0x01;
    body.spec.hashedRekordV002.data.digest = digest.toString('base64');
    entry.canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
    const outcome = verifyBundle(json, undefined, policy, root);
    expect(outcome).toMatchObject({ ok: false, rejection: 'bad-signature' });
  });
});
