import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadPublicKey, parseTrustedRoot, verifyBundle, type TrustPolicy } from '@deploy-actions/signature';
import { hashedRekordDsseProblem, type LoggedEnvelope } from '../src/rekor2-dsse.js';

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

/** Changes one bit of `bytes[at]`. */
function flipByte(bytes: Buffer, at: number): void {
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
}

/** A key policy holding the key of the bundle's own certificate: the envelope signature verifies with it. */
function createPublicKeyPolicy(): TrustPolicy {
  const raw = (bundle() as unknown as { verificationMaterial: { certificate: { rawBytes: string } } })
    .verificationMaterial.certificate.rawBytes;
  const pem = new X509Certificate(Buffer.from(raw, 'base64')).publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { kind: 'key', key: loadPublicKey(pem) };
}

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
    flipByte(payload, payload.length - 2);
    json.dsseEnvelope.payload = payload.toString('base64');
    const outcome = verifyBundle(json, undefined, policy, root);
    expect(outcome).toMatchObject({ ok: false, rejection: 'bad-signature' });
    expect(!outcome.ok && outcome.reason).toContain('digest mismatch');
  });

  it('is rejected when the logged digest is changed', () => {
    const json = bundle();
    const entry = json.verificationMaterial.tlogEntries[0]!;
    const body = JSON.parse(Buffer.from(entry.canonicalizedBody, 'base64').toString('utf8')) as {
      spec: { hashedRekordV002: { data: { digest: string } } };
    };
    const digest = Buffer.from(body.spec.hashedRekordV002.data.digest, 'base64');
    flipByte(digest, 0);
    body.spec.hashedRekordV002.data.digest = digest.toString('base64');
    entry.canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
    const outcome = verifyBundle(json, undefined, policy, root);
    expect(outcome).toMatchObject({ ok: false, rejection: 'bad-signature' });
    expect(!outcome.ok && outcome.reason).toContain('digest mismatch');
  });

  it('is rejected when its envelope is signed by a key but the entry names a certificate', () => {
    const json = bundle() as BundleJson & { verificationMaterial: Record<string, unknown> };
    delete json.verificationMaterial.certificate;
    json.verificationMaterial.publicKey = { hint: 'k' };
    const key = createPublicKeyPolicy();
    const outcome = verifyBundle(json, undefined, key, root);
    expect(outcome).toMatchObject({ ok: false, rejection: 'bad-signature' });
    expect(!outcome.ok && outcome.reason).toContain('verifier mismatch');
  });
});

// The body check alone: with a real bundle, a changed body also breaks the inclusion proof, so
// these show that the comparison itself holds each logged field to the envelope.
describe('hashedRekordDsseProblem', () => {
  interface Body {
    kind: string;
    apiVersion: string;
    spec: {
      hashedRekordV002: {
        data: { algorithm: string; digest: string };
        signature: { content: string; verifier: { x509Certificate?: { rawBytes: string } } };
      };
    };
  }
  const json = bundle();
  const body = (): Body =>
    JSON.parse(
      Buffer.from(json.verificationMaterial.tlogEntries[0]!.canonicalizedBody, 'base64').toString('utf8'),
    ) as Body;
  const certificate = Buffer.from(
    body().spec.hashedRekordV002.signature.verifier.x509Certificate!.rawBytes,
    'base64',
  );
  const envelope: LoggedEnvelope = {
    payloadType: json.dsseEnvelope.payloadType,
    payload: Buffer.from(json.dsseEnvelope.payload, 'base64'),
    signature: Buffer.from(json.dsseEnvelope.signatures[0]!.sig, 'base64'),
    verifier: { kind: 'certificate', der: certificate },
  };
  const check = (b: Body, e: LoggedEnvelope = envelope): string | undefined =>
    hashedRekordDsseProblem(Buffer.from(JSON.stringify(b)), e);
  const flip = (b64: string): string => {
    const bytes = Buffer.from(b64, 'base64');
    flipByte(bytes, bytes.length - 1);
    return bytes.toString('base64');
  };

  it('accepts the logged entry of the conformance bundle', () => {
    expect(check(body())).toBeUndefined();
  });

  it('rejects an entry recording SHA-256 of the payload instead of SHA-256 of the PAE', () => {
    const b = body();
    b.spec.hashedRekordV002.data.digest = createHash('sha256').update(envelope.payload).digest('base64');
    expect(check(b)).toMatch(/^digest mismatch/);
  });

  it('rejects an envelope whose payload differs by one byte from what was logged', () => {
    const payload = Buffer.from(envelope.payload);
    flipByte(payload, 0);
    expect(check(body(), { ...envelope, payload })).toMatch(/^digest mismatch/);
  });

  it('rejects an envelope whose payload type differs from what was logged', () => {
    expect(check(body(), { ...envelope, payloadType: 'application/json' })).toMatch(/^digest mismatch/);
  });

  it('rejects an entry whose digest algorithm is not SHA-256', () => {
    const b = body();
    b.spec.hashedRekordV002.data.algorithm = 'SHA2_384';
    expect(check(b)).toContain('SHA-256');
  });

  it('rejects an entry whose logged signature is not the envelope signature', () => {
    const b = body();
    b.spec.hashedRekordV002.signature.content = flip(b.spec.hashedRekordV002.signature.content);
    expect(check(b)).toMatch(/^signature mismatch/);
  });

  it('rejects an entry whose logged signature is empty', () => {
    const b = body();
    b.spec.hashedRekordV002.signature.content = '';
    expect(check(b)).toMatch(/^signature mismatch/);
  });

  it('rejects an entry whose logged certificate is not the bundle certificate', () => {
    const b = body();
    const cert = b.spec.hashedRekordV002.signature.verifier.x509Certificate!;
    cert.rawBytes = flip(cert.rawBytes);
    expect(check(b)).toMatch(/^verifier mismatch/);
  });

  it('rejects an entry naming no verifier', () => {
    const b = body();
    b.spec.hashedRekordV002.signature.verifier = {};
    expect(check(b)).toMatch(/^verifier mismatch/);
  });

  it('rejects a body of another kind or version', () => {
    expect(check({ ...body(), apiVersion: '0.0.1' })).toContain('not hashedrekord 0.0.2');
  });
});
