import { getOctokit } from '@actions/github';
import { errorMessage, type Logger } from '@deploy-actions/action-kit';
import { ReasonedError } from '@deploy-actions/signature';
import type { EvidenceSource } from '@deploy-actions/signature';

interface AttestationsResponse {
  attestations?: { bundle?: unknown; bundle_url?: string }[];
}

/**
 * The sigstore bundles GitHub stores for a digest (`actions/attest-build-provenance`
 * and friends), from `GET /repos/{owner}/{repo}/attestations/{digest}`. GITHUB_API_URL
 * is honoured (GitHub Enterprise Server, and tests). A repository with none yields [].
 */
export async function fetchGitHubAttestations(
  token: string,
  repository: string,
  digest: string,
  log: Logger,
): Promise<{ source: EvidenceSource; bundle: unknown }[]> {
  const [owner, repo] = repository.split('/');
  const octokit = getOctokit(token, { request: { retries: 0 } });
  let data: AttestationsResponse;
  try {
    const response = await octokit.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
      owner: owner!,
      repo: repo!,
      subject_digest: digest,
      per_page: 100,
    });
    data = response.data as AttestationsResponse;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) {
      log.info(`GitHub has no attestations for ${digest} in ${repository}`);
      return [];
    }
    if (status === 401 || status === 403) {
      throw new ReasonedError(
        'github-unauthorized',
        `GitHub refused to list the attestations of ${repository} (HTTP ${status}). Give the job 'attestations: read' (and 'contents: read' for private repositories), or pass a github-token that can read them.`,
      );
    }
    throw new ReasonedError(
      'github-unreachable',
      `Could not list the GitHub attestations of ${repository} for ${digest}: ${errorMessage(error)}`,
    );
  }
  const found = data.attestations ?? [];
  const bundles = found.filter((a) => a.bundle !== undefined && a.bundle !== null);
  if (bundles.length < found.length) {
    log.warning(
      `${found.length - bundles.length} GitHub attestation(s) of ${digest} are only available by URL and were not checked.`,
    );
  }
  log.info(`GitHub attestations of ${digest} in ${repository}: ${bundles.length}`);
  return bundles.map((a) => ({ source: 'GitHub attestation' as const, bundle: a.bundle }));
}
