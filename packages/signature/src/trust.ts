import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import type { PublicKey } from './public-key.js';
import { PUBLIC_GOOD_TRUSTED_ROOT } from './public-good-trusted-root.js';

/** Parses a trusted_root.json; throws an Error saying what is wrong. */
export function parseTrustedRoot(json: unknown): TrustedRoot {
  const missing = missingValidityStart(json);
  // A bound left out must not be read as "valid since forever"; sigstore's clients reject it too.
  if (missing) throw new Error(`is malformed: ${missing} has no validFor.start`);
  const root = TrustedRoot.fromJSON(json);
  if (root.certificateAuthorities.length === 0 && root.tlogs.length === 0) {
    throw new Error(
      'has neither certificate authorities nor transparency logs; is it a sigstore trusted_root.json?',
    );
  }
  return root;
}

export function publicGoodTrustedRoot(): TrustedRoot {
  return parseTrustedRoot(PUBLIC_GOOD_TRUSTED_ROOT);
}

/**
 * What sigstore-js checks against: the root's CAs and logs and, for key-based
 * bundles, the user's key whatever hint the bundle carries (the key is the policy).
 */
export function trustMaterial(root: TrustedRoot, key?: PublicKey): TrustMaterial {
  // The verifier is typed against its own copy of protobuf-specs; the JSON shape is the same.
  const material = toTrustMaterial(
    root as unknown as Parameters<typeof toTrustMaterial>[0],
    key ? () => ({ publicKey: key.key, validFor: () => true }) : undefined,
  );
  return material;
}

interface RawAuthority {
  baseUrl?: string;
  uri?: string;
  publicKey?: { validFor?: { start?: string } };
  validFor?: { start?: string };
}

function missingValidityStart(json: unknown): string | undefined {
  const root = (json ?? {}) as Record<string, RawAuthority[] | undefined>;
  for (const field of ['tlogs', 'ctlogs'] as const) {
    for (const log of root[field] ?? []) {
      if (log.publicKey && !log.publicKey.validFor?.start)
        return `the ${field} entry ${log.baseUrl ?? '(no URL)'}`;
    }
  }
  for (const field of ['certificateAuthorities', 'timestampAuthorities'] as const) {
    for (const ca of root[field] ?? []) {
      if (!ca.validFor?.start) return `the ${field} entry ${ca.uri ?? '(no URI)'}`;
    }
  }
  return undefined;
}
