/** The short names cosign's `--type` accepts, and the URIs they stand for. */
const ALIASES: Record<string, readonly string[]> = {
  slsaprovenance: ['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1'],
  slsaprovenance02: ['https://slsa.dev/provenance/v0.2'],
  slsaprovenance1: ['https://slsa.dev/provenance/v1'],
  spdxjson: ['https://spdx.dev/Document'],
  spdx: ['https://spdx.dev/Document'],
  cyclonedx: ['https://cyclonedx.org/bom'],
  vuln: ['https://cosign.sigstore.dev/attestation/vuln/v1'],
  custom: ['https://cosign.sigstore.dev/attestation/v1'],
};

export interface RequiredPredicate {
  /** As the user wrote it. */
  name: string;
  /** Any of these predicate types satisfies it. */
  accepts: readonly string[];
}

/** Maps a user's predicate name to the URIs that satisfy it; undefined when it is neither an alias nor a URI. */
export function requiredPredicate(name: string): RequiredPredicate | undefined {
  const alias = ALIASES[name.toLowerCase()];
  if (alias) return { name, accepts: alias };
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(name)) return { name, accepts: [name] };
  return undefined;
}

export const PREDICATE_ALIASES = Object.keys(ALIASES);

/** The SPDX predicate type carries a version suffix in some tools (`https://spdx.dev/Document/v2.3`). */
export function predicateMatches(required: RequiredPredicate, actual: string): boolean {
  return required.accepts.some(
    (uri) => actual === uri || (uri === 'https://spdx.dev/Document' && actual.startsWith(`${uri}/`)),
  );
}
