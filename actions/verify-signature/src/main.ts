import {
  UserError,
  type ActionContext,
  type ActionDefinition,
  type SummaryBuilder,
} from '@deploy-actions/action-kit';
import { pinnedReference, RegistryClient, RegistryError } from '@deploy-actions/registry';
import {
  ReasonedError,
  registryFailureReason,
  sourceRepositoryName,
  type GitHubSource,
  verifyImage,
  VerificationFailure,
  type Evidence,
  type ImageVerification,
} from '@deploy-actions/signature';
import { readSettings, type Settings } from './settings.js';

export const action: ActionDefinition = {
  name: 'verify-signature',
  untouched: 'Nothing was contacted.',
  async main({ inputs, log, summary, setOutput, env }: ActionContext) {
    const settings = readSettings(inputs, env['GITHUB_WORKSPACE'] ?? process.cwd());
    const client = new RegistryClient({
      // The credentials are for the image's registry (and its own token server) only.
      ...(settings.credentials
        ? { credentials: settings.credentials, credentialsRegistry: settings.reference.registry }
        : {}),
      tokenRealms: settings.tokenRealms,
      allowInsecure: settings.allowInsecure,
      logger: log,
    });
    if (settings.allowInsecure)
      log.warning(
        'allow-insecure-registry is set: registries beyond loopback are spoken to over plain HTTP.',
      );
    if (settings.engine === 'cosign') {
      await verifyByCosign(settings, client, { log, summary, setOutput });
      return;
    }
    let result: ImageVerification;
    try {
      result = await log.group(
        `Verifying ${settings.reference.registry}/${settings.reference.repository}`,
        () =>
          verifyImage({
            reference: settings.reference,
            policy: settings.policy,
            trustedRoot: settings.trustedRoot,
            attestations: settings.attestations,
            client,
            log,
            requireDockerReference: settings.requireDockerReference,
            ...(settings.githubRepository && settings.githubToken
              ? {
                  extraBundles: async (digest: string) => {
                    // Loaded on demand: Octokit is most of the bundle and most runs never need it.
                    const { fetchGitHubAttestations } = await import('./github-attestations.js');
                    return fetchGitHubAttestations(
                      settings.githubToken!,
                      settings.githubRepository!,
                      digest,
                      log,
                    );
                  },
                }
              : {}),
          }),
      );
    } catch (error) {
      // No digest output on failure: a later `if: always()` step must not deploy an unverified digest.
      if (error instanceof VerificationFailure) {
        writeFailureSummary(summary, settings, error);
      } else if (error instanceof UserError) {
        summary
          .heading('verify-signature: not verified')
          .paragraph(error.message)
          .list([`Policy: ${settings.policyText}`]);
      }
      throw error;
    }
    setOutput('digest', result.digest);
    setOutput('image-ref', result.imageRef);
    setOutput('signer', result.signer);
    setOutput('verified-attestations', result.verifiedAttestations.join('\n'));
    setSourceOutputs(setOutput, result.github);
    log.info(`${result.imageRef} is signed by ${result.signer}`);
    writeSuccessSummary(summary, settings, result);
  },
};

/** `engine: cosign`: the digest is resolved here (so the pin is ours), cosign checks the signatures. */
async function verifyByCosign(
  settings: Settings,
  client: RegistryClient,
  { log, summary, setOutput }: Pick<ActionContext, 'log' | 'summary' | 'setOutput'>,
): Promise<void> {
  let digest: string;
  try {
    digest = (await client.resolve(settings.reference)).digest;
  } catch (error) {
    if (error instanceof RegistryError)
      throw new ReasonedError(registryFailureReason(error.code), error.message);
    throw error;
  }
  const imageRef = pinnedReference(settings.reference, digest);
  const { installCosign, verifyWithCosign } = await import('./cosign-engine.js');
  try {
    const cosign = await log.group('Installing cosign', () => installCosign(settings.cosign, log));
    const result = await log.group(`cosign verify ${imageRef}`, () =>
      verifyWithCosign(
        cosign,
        {
          reference: settings.reference,
          digest,
          policy: settings.policy,
          attestations: settings.attestations,
          ...(settings.trustedRootPath ? { trustedRootPath: settings.trustedRootPath } : {}),
          ...(settings.credentials ? { credentials: settings.credentials } : {}),
          allowInsecure: settings.allowInsecure,
          requireDockerReference: settings.requireDockerReference,
          cosignVersion: settings.cosign.version,
        },
        log,
      ),
    );
    setOutput('digest', digest);
    setOutput('image-ref', imageRef);
    setOutput('signer', result.signer);
    setOutput('verified-attestations', result.verifiedAttestations.join('\n'));
    setSourceOutputs(setOutput, result.github);
    summary
      .heading('verify-signature: verified (cosign)')
      .paragraph(`\`${imageRef}\` was verified by cosign ${settings.cosign.version}.`)
      .list([
        `Policy: ${settings.policyText}`,
        `Why it passed: cosign verify accepted a signature over exactly this digest, signed by ${result.signer}`,
        ...(settings.attestations.length > 0
          ? [`Required attestations verified: ${result.verifiedAttestations.join(', ')}`]
          : []),
      ]);
  } catch (error) {
    if (error instanceof UserError) {
      summary
        .heading('verify-signature: not verified (cosign)')
        .paragraph(`Digest checked: \`${digest}\``)
        .code(error.message);
    }
    throw error;
  }
}

/** `source-repository`, `source-ref`, `source-digest`: what the accepted certificate says. */
function setSourceOutputs(setOutput: ActionContext['setOutput'], github: GitHubSource | undefined): void {
  const repository = sourceRepositoryName(github);
  const ref = github?.ref ?? github?.legacyRef;
  const digest = github?.digest ?? github?.legacyDigest;
  if (repository !== undefined) setOutput('source-repository', repository);
  if (ref !== undefined) setOutput('source-ref', ref);
  if (digest !== undefined) setOutput('source-digest', digest);
}

function sourceLine(github: GitHubSource | undefined): string[] {
  const repository = sourceRepositoryName(github);
  if (repository === undefined) return [];
  const ref = github?.ref ?? github?.legacyRef;
  const digest = github?.digest ?? github?.legacyDigest;
  return [
    `Signed in a run of ${repository}${ref ? ` at ${ref}` : ''}${digest ? ` (commit ${digest})` : ''}${github?.buildConfigUri ? `, workflow ${github.buildConfigUri}` : ''} (the certificate's GitHub extensions)`,
  ];
}

function digestNote(result: { mediaType: string; platforms?: string[] }): string {
  if (result.platforms === undefined) return 'a single-platform manifest';
  return `a multi-arch index (${result.platforms.length} platforms: ${result.platforms.join(', ') || 'none listed'}); the index digest is what was verified, and it pins every platform manifest it lists`;
}

function evidenceRows(evidence: readonly Evidence[]): string[][] {
  return evidence.map((e) => [
    e.ok ? '✅' : '❌',
    e.source,
    e.kind === 'attestation' ? `attestation ${e.predicateType ?? ''}` : 'signature',
    e.detail,
  ]);
}

function writeSuccessSummary(summary: SummaryBuilder, settings: Settings, result: ImageVerification): void {
  summary
    .heading('verify-signature: verified')
    .paragraph(`\`${result.imageRef}\` is ${digestNote(result)}.`)
    .list([
      `Policy: ${settings.policyText}`,
      `Trust root: ${settings.policy.kind === 'key' ? 'the given key' : settings.trustedRootSource}`,
      `Why it passed: a signature over exactly this digest verified, signed by ${result.signer}`,
      ...sourceLine(result.github),
      ...(settings.requireDockerReference
        ? [
            `The signature names this repository (${settings.reference.registry}/${settings.reference.repository}), not only the digest`,
          ]
        : []),
      ...(settings.attestations.length > 0
        ? [`Required attestations verified: ${result.verifiedAttestations.join(', ')}`]
        : []),
    ])
    .table(['', 'where', 'what', 'result'], evidenceRows(result.evidence));
}

function writeFailureSummary(
  summary: SummaryBuilder,
  settings: Settings,
  failure: VerificationFailure,
): void {
  summary
    .heading('verify-signature: not verified')
    .paragraph(failure.message)
    .list([
      `Policy: ${settings.policyText}`,
      ...(failure.digest ? [`Digest checked: \`${failure.digest}\``] : []),
    ]);
  if (failure.evidence.length > 0)
    summary
      .paragraph('What was found instead:')
      .table(['', 'where', 'what', 'result'], evidenceRows(failure.evidence));
}
