/**
 * What runs is what was verified: every compose service's image, after interpolation, must be
 * one of the references verify-signature proved, or one the workflow explicitly allows.
 */
import type { ComposeModel } from './compose.js';
import { imageReferenceProblem } from './validate.js';

export interface ImageReference {
  /** As written. */
  text: string;
  /** Registry and repository, normalised the way docker does: `postgres` is `docker.io/library/postgres`. */
  name: string;
  tag?: string;
  /** `sha256:<hex>`. */
  digest?: string;
}

/** Parses an image reference; undefined when docker would refuse it. */
export function parseImageReference(text: string): ImageReference | undefined {
  if (imageReferenceProblem(text) !== undefined) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  let domain = 'docker.io';
  let path = rest;
  if (
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))
  ) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    path = rest.slice(slash + 1);
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return {
    text,
    name: `${domain}/${path}`,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest: digest.toLowerCase() } : {}),
  };
}

export interface ImageRules {
  /** `repo@sha256:...` references proved by verify-signature (the `verified-images` input). */
  verified: readonly ImageReference[];
  /**
   * The `allow-images` input: `repo@sha256:...` (that digest), `repo:tag` (exactly that tag; tags
   * move, so only for images you trust to move), or a bare `repo` (any digest of that repository,
   * never a tag: the image must be pinned by digest).
   */
  allow: readonly ImageReference[];
}

export interface ImageProblem {
  service: string;
  image: string | undefined;
  problem: string;
}

function allowedBy(image: ImageReference, entry: ImageReference): boolean {
  if (image.name !== entry.name) return false;
  if (entry.digest !== undefined) return image.digest === entry.digest;
  if (entry.tag !== undefined) return image.digest === undefined && image.tag === entry.tag;
  return image.digest !== undefined;
}

/** Services whose image is neither verified nor allowed; every service is checked, profiles included. */
export function checkImages(model: ComposeModel, rules: ImageRules): ImageProblem[] {
  const problems: ImageProblem[] = [];
  for (const [service, def] of Object.entries(model.services ?? {})) {
    const image = typeof def?.['image'] === 'string' ? (def['image'] as string) : undefined;
    if (image === undefined || image === '') {
      problems.push({
        service,
        image,
        problem: 'has no image: it is built on the host, so what runs was never verified',
      });
      continue;
    }
    const ref = parseImageReference(image);
    if (ref === undefined) {
      problems.push({ service, image, problem: `uses '${image}', which is not a valid image reference` });
      continue;
    }
    if (
      ref.digest !== undefined &&
      rules.verified.some((v) => v.name === ref.name && v.digest === ref.digest)
    )
      continue;
    if (rules.allow.some((a) => allowedBy(ref, a))) continue;
    const sameRepo = rules.verified.some((v) => v.name === ref.name);
    problems.push({
      service,
      image,
      problem:
        `uses '${image}', which is not in verified-images` +
        (sameRepo ? ' (that repository was verified at another digest)' : '') +
        ' and not allowed by allow-images',
    });
  }
  return problems;
}
