/** Who must have signed, for keyless verification. */
export interface IdentityPolicy {
  /** Exact SAN (`https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`). */
  identity?: string;
  /** A pattern the SAN must match in full. */
  identityRegexp?: string;
  /** Exact OIDC issuer. */
  issuer?: string;
}

export interface SignerIdentity {
  subjectAlternativeName?: string;
  issuer?: string;
}

/**
 * Anchors the pattern so that `https://github.com/org/` cannot match
 * `https://github.com/org/../evil`: the mistake most cosign users make.
 */
export function anchoredPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** Returns why the identity does not satisfy the policy, or undefined when it does. */
export function identityMismatch(policy: IdentityPolicy, signer: SignerIdentity): string | undefined {
  const san = signer.subjectAlternativeName ?? '(no identity)';
  if (policy.identity !== undefined && signer.subjectAlternativeName !== policy.identity) {
    return `signed, but by ${san} (issuer ${signer.issuer ?? 'unknown'}), not ${policy.identity}`;
  }
  if (policy.identityRegexp !== undefined && !anchoredPattern(policy.identityRegexp).test(signer.subjectAlternativeName ?? '')) {
    return `signed, but by ${san} (issuer ${signer.issuer ?? 'unknown'}), which does not match ^(?:${policy.identityRegexp})$`;
  }
  if (policy.issuer !== undefined && signer.issuer !== policy.issuer) {
    return `signed by ${san}, but its OIDC issuer is ${signer.issuer ?? 'unknown'}, not ${policy.issuer}`;
  }
  return undefined;
}

export function describeIdentity(signer: SignerIdentity): string {
  return `${signer.subjectAlternativeName ?? '(no identity)'} (issuer ${signer.issuer ?? 'unknown'})`;
}
