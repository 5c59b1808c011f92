import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatDuration, isUserError, errorMessage, type Logger } from '@deploy-actions/action-kit';
import { substitute } from '@deploy-actions/compose-env';
import type { Bundle } from './bundle.js';
import { computeDrift, serviceContainers, type HostDrift } from './drift.js';
import { compareEnv, envEntries, newRunKey, type EnvChanges, type RunKey } from './env-keys.js';
import { DEFAULT_PRESERVE, preserveRules } from './preserve.js';
import { type HostReading, type ImageInfo } from './reading.js';
import { chooseCompose, checkCurrentRecord, type HostState } from './state.js';
import { describePlan, planRollout, type Step, type StepName } from './steps.js';
import { readEachHost, type ReadEachHostOptions } from './read-each-host.js';
import type { DeploySettings } from './types.js';

/**
 * `mode: plan`: what a deploy would change on each host, read in one exec per
 * host (READ_SCRIPT), changing nothing and taking no lock. The steps come from
 * planRollout, the very list the run executes: a part of the plan exists only
 * when its step does (no `ship`, no files; no `up`, no restarts; no `migrate`,
 * no migration).
 */

export interface ServiceImage {
  image: string;
  /** `sha256:...`: the digest the reference pins, or the image's registry digest / id on the host. */
  digest?: string;
}

export interface ServicePlan {
  service: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged' | 'unknown';
  old?: ServiceImage;
  new?: ServiceImage;
  restarts: boolean;
  /** Why it restarts, or why its image could not be told. */
  why?: string;
}

export interface HostPlan {
  host: string;
  /** The release the deploy would make current. */
  release: string;
  current?: string;
  strategy: string;
  compose: { flavour?: string; available: string[] };
  steps: StepName[];
  /** The steps, one line each, with the exact commands (as dry-run prints them). */
  stepLines: string[];
  services: ServicePlan[];
  restarts: string[];
  /** `unknown`: keys the bundle gives as PLAN_UNKNOWN_VALUE (a secret the planner cannot see). */
  env: EnvChanges & { unknown: string[]; files: { path: string; from: 'bundle' | 'host' | 'missing' }[] };
  migrations: { runs: boolean; service?: string; imageChanged?: boolean };
  files: {
    shipped: number;
    added: string[];
    changed: string[];
    unchanged: number;
    removed: string[];
    /** Files the previous release wrote that the host has changed since: the run keeps them. */
    keptChanged: string[];
    /** Preserved paths the bundle carries that the host has its own copy of: the run keeps the host's. */
    preservedSkipped: string[];
  };
  images: { toPull: string[]; pullBytesEstimate?: number };
  diskFreeBytes?: number;
  lock?: { by: string; ageSeconds: number; since?: string; stale: boolean };
  problems: string[];
  notes: string[];
  drift: HostDrift;
  error?: string;
  errorCode?: string;
}

/** What the runner knows of the new release before it reads any host. */
export interface BundleSide {
  /** Services of the new compose files (merged), keyed by name. */
  services: Map<string, { image?: string; profiles: string[]; text: string }>;
  /** Compose files named for the run that the bundle does not carry (the host's own). */
  hostComposeFiles: string[];
  imageVars: string[];
  /** Per env file (settings order): the bundle's copy, key → HMAC and raw values; undefined when the bundle has none. */
  env: ({ macs: Map<string, string>; raw: Map<string, string> } | undefined)[];
  bundleSums: string[];
}

const VAR = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * A value the planner cannot see (a secret only the deploy job gets): an env file in the
 * bundle may give this instead, and the key is reported `unknown`, not changed.
 */
export const PLAN_UNKNOWN_VALUE = 'deploy-actions:unknown-to-the-plan';
const norm = (p: string): string => posix.normalize(p).replace(/^\.\//, '');

/** Reads the bundle's compose and env files: services, image templates, env HMACs. */
export function readBundleSide(settings: DeploySettings, bundle: Bundle, key: RunKey): BundleSide {
  const files = new Set(bundle.files);
  const composeFiles = settings.composeFiles.length
    ? settings.composeFiles
    : bundle.composeFile
      ? [bundle.composeFile]
      : [];
  const services: BundleSide['services'] = new Map();
  const hostComposeFiles: string[] = [];
  for (const f of composeFiles) {
    if (!files.has(norm(f))) {
      hostComposeFiles.push(f);
      continue;
    }
    const doc = parseYaml(readFileSync(join(bundle.sourceDir, norm(f)), 'utf8')) as {
      services?: Record<string, { image?: unknown; profiles?: unknown } | null>;
    } | null;
    for (const [name, def] of Object.entries(doc?.services ?? {})) {
      const before = services.get(name);
      const image = typeof def?.image === 'string' ? def.image : before?.image;
      const profiles = Array.isArray(def?.profiles) ? def.profiles.map(String) : (before?.profiles ?? []);
      services.set(name, {
        ...(image !== undefined ? { image } : {}),
        profiles,
        text: `${before?.text ?? ''}${JSON.stringify(def ?? {})}`,
      });
    }
  }
  const imageVars = [
    ...new Set([...services.values()].flatMap((s) => [...(s.image ?? '').matchAll(VAR)].map((m) => m[1]!))),
  ].sort();
  const env = settings.envFiles.map((f) => {
    const path = norm(f);
    if (!files.has(path)) return undefined;
    const entries = envEntries(readFileSync(join(bundle.sourceDir, path)).toString('latin1'));
    return {
      macs: new Map(entries.map(([k, v]) => [k, key.hmac(v)])),
      raw: new Map(entries.map(([k, v]) => [k, unquote(v)])),
    };
  });
  return {
    services,
    hostComposeFiles,
    imageVars,
    env,
    bundleSums: bundle.files.map((f) => `${bundle.checksums[f]}  ${f}`),
  };
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))))
    return v.slice(1, -1);
  return v;
}

/** The new compose files' image references (interpolated), the refs to look up on the host. */
function resolveImages(
  side: BundleSide,
  lookup: (name: string) => string | undefined,
): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [name, s] of side.services) {
    if (s.image === undefined) {
      out.set(name, undefined);
      continue;
    }
    const { result, error } = substitute(s.image, lookup);
    out.set(name, error || result === '' ? undefined : result);
  }
  return out;
}

/** The env lookups before and after: host files, with the bundle's copies where the run writes them. */
function envSides(
  settings: DeploySettings,
  side: BundleSide,
  reading: HostReading,
): {
  before: Map<string, string>;
  after: Map<string, string>;
  unknown: Set<string>;
  files: HostPlan['env']['files'];
  imageBefore: (name: string) => string | undefined;
  imageAfter: (name: string) => string | undefined;
} {
  const rules = preserveRules(settings.preserve);
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  const varsBefore = new Map<string, string>();
  const varsAfter = new Map<string, string>();
  const unknown = new Set<string>();
  const files: HostPlan['env']['files'] = [];
  settings.envFiles.forEach((f, i) => {
    const host = reading.envFiles[i];
    const bundled = side.env[i];
    for (const [k, v] of host?.keys ?? []) before.set(k, v);
    for (const [k, v] of reading.imageVars[i] ?? []) varsBefore.set(k, v);
    // As activate does: a preserved file the host has stays the host's.
    const fromBundle = bundled !== undefined && !(rules.matches(norm(f)) && host?.present === true);
    if (fromBundle) {
      for (const [k, v] of bundled.macs) after.set(k, v);
      for (const [k, v] of bundled.raw) {
        varsAfter.set(k, v);
        if (v === PLAN_UNKNOWN_VALUE) unknown.add(k);
        else unknown.delete(k);
      }
    } else {
      for (const [k, v] of host?.keys ?? []) {
        after.set(k, v);
        unknown.delete(k);
      }
      for (const [k, v] of reading.imageVars[i] ?? []) varsAfter.set(k, v);
    }
    files.push({ path: f, from: fromBundle ? 'bundle' : host?.present ? 'host' : 'missing' });
  });
  return {
    before,
    after,
    unknown,
    files,
    imageBefore: (n) => varsBefore.get(n),
    imageAfter: (n) => varsAfter.get(n),
  };
}

/** The image a reference names on the host, if it is there. */
function findImage(images: readonly ImageInfo[], ref: string): ImageInfo | undefined {
  const at = ref.indexOf('@');
  if (at >= 0) {
    const digest = ref.slice(at + 1);
    const repo = ref.slice(0, at);
    return images.find((i) => i.digests.some((d) => d === `${repo}@${digest}`));
  }
  const lastSlash = ref.lastIndexOf('/');
  const tagged = ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
  const candidates = [tagged, `docker.io/library/${tagged}`, `docker.io/${tagged}`];
  return images.find((i) => i.tags.some((t) => candidates.includes(t)));
}

function digestOf(image: ImageInfo | undefined, ref: string): string | undefined {
  const pinned = /@(sha256:[0-9a-f]{64})$/.exec(ref)?.[1];
  if (pinned) return pinned;
  if (!image) return undefined;
  const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.replace(/:[^/:]+$/, '');
  const fromRepo = image.digests.find((d) => d.startsWith(`${repo}@`)) ?? image.digests[0];
  return fromRepo ? fromRepo.slice(fromRepo.indexOf('@') + 1) : image.id;
}

export interface PlanInput {
  host: string;
  settings: DeploySettings;
  bundle: Bundle;
  side: BundleSide;
  reading: HostReading;
}

/** The plan for one host, from what was read: pure, so it is unit-tested without a host. */
export function computePlan({ host, settings: s, bundle, side, reading }: PlanInput): HostPlan {
  const problems: string[] = [];
  const notes: string[] = [];
  let state: HostState = reading.state;
  try {
    state = chooseCompose(s, reading.state, host);
  } catch (error) {
    problems.push(errorMessage(error));
  }
  try {
    checkCurrentRecord(s, state, host);
  } catch (error) {
    problems.push(errorMessage(error));
  }
  const target = s.origin.id;
  const steps: Step[] = planRollout({
    settings: s,
    state,
    bundle,
    target,
    ...(state.current ? { previous: state.current } : {}),
  });
  const has = (name: StepName): boolean => steps.some((st) => st.name === name);
  const compose = s.strategy === 'compose';

  // env: names only; "changed" by HMAC
  const env = envSides(s, side, reading);
  const compared = compareEnv(env.before, env.after);
  const known = (k: string): boolean => !env.unknown.has(k);
  const envChanges: EnvChanges & { unknown: string[] } = {
    added: compared.added.filter(known),
    removed: compared.removed,
    changed: compared.changed.filter(known),
    unchanged:
      compared.unchanged - [...env.unknown].filter((k) => env.before.get(k) === env.after.get(k)).length,
    unknown: [...env.unknown].sort(),
  };
  const envTouched = new Set([...envChanges.added, ...envChanges.removed, ...envChanges.changed]);

  // images: new from the bundle's compose files, old from the running containers
  const newRefs = resolveImages(side, env.imageAfter);
  const oldRefs = resolveImages(side, env.imageBefore);
  const running = serviceContainers(reading);
  const oldByService = new Map<string, { ref: string; imageId: string }>();
  for (const c of running)
    if (!oldByService.has(c.service) || c.status === 'running') oldByService.set(c.service, c);
  const imageById = (id: string): ImageInfo | undefined => reading.images.find((i) => i.id === id);
  const active = (name: string): boolean => {
    const svc = side.services.get(name);
    return svc !== undefined && svc.profiles.length === 0 && name !== s.migrateService;
  };
  const touched = (name: string): boolean => s.services.length === 0 || s.services.includes(name);
  const services: ServicePlan[] = [];
  const toPull: string[] = [];
  let pullBytes = 0;
  let pullUnknown = false;
  const names = [...new Set([...side.services.keys(), ...oldByService.keys()])].sort();
  for (const name of names) {
    if (name === s.migrateService) continue;
    const old = oldByService.get(name);
    const svc = side.services.get(name);
    const oldImage: ServiceImage | undefined = old
      ? { image: old.ref, ...withDigest(digestOf(imageById(old.imageId), old.ref)) }
      : undefined;
    if (!svc) {
      services.push({
        service: name,
        change: compose && has('up') ? 'removed' : 'unchanged',
        ...(oldImage ? { old: oldImage } : {}),
        restarts: false,
        ...(compose && has('up') ? { why: 'not in the new compose files: removed by --remove-orphans' } : {}),
      });
      continue;
    }
    if (!active(name) && !old) continue;
    const ref = newRefs.get(name);
    const found = ref ? findImage(reading.images, ref) : undefined;
    const newImage: ServiceImage | undefined = ref
      ? { image: ref, ...withDigest(digestOf(found, ref)) }
      : undefined;
    if (ref && !found && (s.pull || !s.build) && touched(name)) {
      toPull.push(ref);
      const size = old ? imageById(old.imageId)?.size : undefined;
      if (size) pullBytes += size;
      else pullUnknown = true;
    }
    let change: ServicePlan['change'];
    let why: string | undefined;
    if (!old) {
      change = 'added';
      why = 'new service';
    } else if (!ref) {
      change = 'unknown';
      why =
        svc.image === undefined ? 'no image: (built)' : `its image (${svc.image}) could not be resolved here`;
    } else if (found) {
      change = found.id === old.imageId ? 'unchanged' : 'changed';
    } else if (newImage?.digest && oldImage?.digest) {
      change = newImage.digest === oldImage.digest ? 'unchanged' : 'changed';
    } else {
      change = 'changed';
      why = `${ref} is not on the host: pulled`;
    }
    if (change === 'changed' && !why) why = 'image changed';
    const envReason = [...envTouched].filter((k) => new RegExp(`\\$\\{?${k}\\b`).test(svc.text));
    const restarts =
      compose &&
      has('up') &&
      touched(name) &&
      active(name) &&
      (change === 'added' || change === 'changed' || change === 'unknown' || envReason.length > 0);
    if (restarts && change === 'unchanged' && envReason.length) why = `env: ${envReason.join(', ')}`;
    services.push({
      service: name,
      change,
      ...(oldImage ? { old: oldImage } : {}),
      ...(newImage ? { new: newImage } : {}),
      restarts,
      ...(why ? { why } : {}),
    });
  }
  if (side.hostComposeFiles.length)
    notes.push(
      `compose file(s) only the host has are not read by the plan: ${side.hostComposeFiles.join(', ')}`,
    );
  if (s.composeFiles.length === 0 && state.hasOverride)
    notes.push("the host's docker-compose.override.yml also applies; the plan does not read it");

  // migrations
  let migrations: HostPlan['migrations'] = { runs: has('migrate') };
  if (s.migrateService) {
    const n = newRefs.get(s.migrateService);
    const o = oldRefs.get(s.migrateService);
    const nf = n ? findImage(reading.images, n) : undefined;
    const of = o ? findImage(reading.images, o) : undefined;
    const imageChanged = n && o ? (nf && of ? nf.id !== of.id : n !== o) : undefined;
    migrations = {
      runs: has('migrate'),
      service: s.migrateService,
      ...(imageChanged !== undefined ? { imageChanged } : {}),
    };
    if (n && !nf && has('pull')) toPull.push(n);
  }

  // files, by the rule activate follows
  const rules = preserveRules(s.preserve);
  const legacy = state.ownedLegacy ? preserveRules(DEFAULT_PRESERVE) : undefined;
  const bundleFiles = new Set(bundle.files);
  const files: HostPlan['files'] = {
    shipped: 0,
    added: [],
    changed: [],
    unchanged: 0,
    removed: [],
    keptChanged: [],
    preservedSkipped: [],
  };
  if (has('ship')) {
    files.shipped = bundle.files.length;
    for (const b of reading.bundle) {
      if (rules.matches(b.path) && b.state !== 'new') {
        if (b.state === 'changed') files.preservedSkipped.push(b.path);
        else files.unchanged++;
        continue;
      }
      if (b.state === 'new') files.added.push(b.path);
      else if (b.state === 'changed') files.changed.push(b.path);
      else files.unchanged++;
    }
    for (const w of reading.written) {
      if (bundleFiles.has(w.path) || w.state === 'missing') continue;
      if (rules.matches(w.path) || legacy?.matches(w.path)) continue;
      if (w.state === 'same') files.removed.push(w.path);
      else files.keptChanged.push(w.path);
    }
  }

  // host problems
  const lock = reading.lock
    ? {
        by: reading.lock.text,
        ageSeconds: reading.lock.ageSeconds,
        ...(reading.lock.owner?.startedAt ? { since: reading.lock.owner.startedAt } : {}),
        stale: reading.lock.stale,
      }
    : undefined;
  if (lock)
    problems.push(
      `the host lock is held by ${lock.by}${lock.stale ? ' (stale)' : ''}: the deploy would wait up to lock-timeout (${formatDuration(s.lockTimeoutMs)})`,
    );
  const estimate = pullUnknown && pullBytes === 0 ? undefined : pullBytes;
  if (reading.diskFreeBytes !== undefined) {
    if (estimate !== undefined && toPull.length && reading.diskFreeBytes < estimate)
      problems.push(
        `free disk under ${s.remoteDir}: ${mib(reading.diskFreeBytes)}, less than the ~${mib(estimate)} of images to pull (estimated from the images they replace)`,
      );
    else if (reading.diskFreeBytes < 1024 ** 3)
      problems.push(`free disk under ${s.remoteDir}: ${mib(reading.diskFreeBytes)} (under 1 GiB)`);
  }
  if (reading.dockerError) problems.push(`docker: ${reading.dockerError}`);
  const drift = computeDrift(host, reading);
  const driftItems = drift.items.filter((i) => i.kind !== 'lock' && i.kind !== 'record');
  if (driftItems.length)
    problems.push(
      `drift: ${driftItems.length} difference(s) from release ${state.current ?? '?'} (see drift)`,
    );

  const restarts = services.filter((x) => x.restarts).map((x) => x.service);
  return {
    host,
    release: target,
    ...(state.current ? { current: state.current } : {}),
    strategy: s.rolling ? 'rolling' : s.strategy,
    compose: {
      ...(state.compose && compose ? { flavour: state.compose } : {}),
      available: state.composeAvailable,
    },
    steps: steps.map((st) => st.name),
    stepLines: describePlan(steps, state.current),
    services,
    restarts,
    env: { ...envChanges, files: env.files },
    migrations,
    files,
    images: {
      toPull: [...new Set(toPull)],
      ...(estimate !== undefined ? { pullBytesEstimate: estimate } : {}),
    },
    ...(reading.diskFreeBytes !== undefined ? { diskFreeBytes: reading.diskFreeBytes } : {}),
    ...(lock ? { lock } : {}),
    problems,
    notes,
    drift,
  };
}

function withDigest(digest: string | undefined): { digest?: string } {
  return digest ? { digest } : {};
}

function mib(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GiB`
    : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export interface PlanAllOptions extends ReadEachHostOptions {
  bundle: Bundle;
  log: Logger;
}

/** Plans every host, `parallel` at a time: one connection and one exec each. */
export async function planHosts(o: PlanAllOptions): Promise<HostPlan[]> {
  const key = newRunKey();
  const side = readBundleSide(o.settings, o.bundle, key);
  return readEachHost(
    o,
    { imageVars: side.imageVars, imageRefs: imageRefsToLookUp(side), bundleSums: side.bundleSums, key },
    ({ host, settings, reading }) => {
      const plan = computePlan({ host, settings, bundle: o.bundle, side, reading });
      o.log.info(`[${host}] plan: ${planHeadline(plan)}`);
      return plan;
    },
    failedPlan,
  );
}

/** The refs the new images could have, for the host to look up: those the bundle's own env files give. */
function imageRefsToLookUp(side: BundleSide): string[] {
  const lookup = (n: string): string | undefined => {
    let v: string | undefined;
    for (const e of side.env) v = e?.raw.get(n) ?? v;
    return v;
  };
  return [...new Set([...resolveImages(side, lookup).values()].filter((r): r is string => r !== undefined))];
}

function failedPlan(host: string, settings: DeploySettings, error: unknown): HostPlan {
  const message = errorMessage(error);
  return {
    host,
    release: settings.origin.id,
    strategy: settings.rolling ? 'rolling' : settings.strategy,
    compose: { available: [] },
    steps: [],
    stepLines: [],
    services: [],
    restarts: [],
    env: { added: [], removed: [], changed: [], unchanged: 0, unknown: [], files: [] },
    migrations: { runs: false },
    files: {
      shipped: 0,
      added: [],
      changed: [],
      unchanged: 0,
      removed: [],
      keptChanged: [],
      preservedSkipped: [],
    },
    images: { toPull: [] },
    problems: [message],
    notes: [],
    drift: { host, clean: true, items: [] },
    error: message,
    errorCode: isUserError(error) ? error.code : 'internal',
  };
}

export function planHeadline(p: HostPlan): string {
  if (p.error) return `could not plan: ${p.error.split('\n')[0]}`;
  const changed = p.services.filter((x) => x.change !== 'unchanged').map((x) => `${x.service} ${x.change}`);
  return [
    `${p.current ?? 'no release'} → ${p.release}`,
    changed.length ? changed.join(', ') : 'no service changes',
    `env +${p.env.added.length} -${p.env.removed.length} ~${p.env.changed.length}`,
    p.restarts.length ? `restarts ${p.restarts.join(', ')}` : 'no restarts',
    p.problems.length ? `${p.problems.length} problem(s)` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
