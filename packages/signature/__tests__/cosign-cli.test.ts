import {
  cosignAttestationTypes,
  cosignPolicyArgs,
  publicGoodTrustedRoot,
  readsOci11Referrers,
  requiredPredicate,
  type CosignRun,
} from '@deploy-actions/signature';

function keylessRun(overrides: Partial<CosignRun> = {}): CosignRun {
  return {
    reference: { registry: 'registry.example.test', repository: 'org/app' },
    digest: `sha256:${'a'.repeat(64)}`,
    policy: {
      kind: 'keyless',
      trustedRoot: publicGoodTrustedRoot(),
      identity: {
        identityRegexp: 'https://github.com/org/.*',
        issuer: 'https://token.actions.githubusercontent.com',
        githubWorkflowRepository: 'org/app',
        githubWorkflowSha: 'b'.repeat(40),
      },
    },
    attestations: [],
    allowInsecure: false,
    ...overrides,
  };
}

describe('cosignPolicyArgs', () => {
  it('anchors the identity pattern, as the native engine does, and passes the source claims', () => {
    expect(cosignPolicyArgs(keylessRun(), undefined)).toEqual([
      '--certificate-identity-regexp',
      '^(?:https://github.com/org/.*)$',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--certificate-github-workflow-repository',
      'org/app',
      '--certificate-github-workflow-sha',
      'b'.repeat(40),
    ]);
  });

  it('allows plain http only for a loopback registry or with allow-insecure-registry', () => {
    expect(
      cosignPolicyArgs(
        keylessRun({ reference: { registry: '127.0.0.1:5000', repository: 'app' } }),
        undefined,
      ),
    ).toContain('--allow-http-registry');
    expect(cosignPolicyArgs(keylessRun(), undefined)).not.toContain('--allow-http-registry');
    expect(cosignPolicyArgs(keylessRun({ allowInsecure: true }), undefined)).toContain(
      '--allow-http-registry',
    );
  });
});

describe('cosign versions and attestation types', () => {
  it('reads OCI 1.1 referrers from cosign 2.2.1 on', () => {
    expect(['v2.2.0', '2.1.9', 'nonsense'].map(readsOci11Referrers)).toEqual([false, false, false]);
    expect(['v2.2.1', '2.4.1', 'v3.0.0'].map(readsOci11Referrers)).toEqual([true, true, true]);
  });

  it('tries both SLSA provenance versions for slsaprovenance', () => {
    expect(cosignAttestationTypes(requiredPredicate('slsaprovenance')!)).toEqual([
      'slsaprovenance',
      'slsaprovenance1',
    ]);
  });
});
