/**
 * `.releases` under remote-dir holds every kept release's files and copies of the
 * env files (secrets, 0600 in a 0700 dir). Those modes stop other users, not a
 * build: `docker compose build` runs as the deploy user and sends the whole
 * context to the builder, so a service built from remote-dir itself (`build: .`)
 * would carry `.releases` into the build, and `COPY . .` into the image.
 *
 * Chosen: check before anything connects. A build context that holds `.releases`
 * must exclude it in its `.dockerignore`; otherwise the deploy stops with an error
 * saying which line to add. (Moving `.releases` out of remote-dir would change
 * where every existing host keeps its releases and lock; writing a `.dockerignore`
 * for the user would change a file the deploy does not own.)
 *
 * Checked: the compose files the bundle carries (compose-files, or the bundle's
 * own compose file and its override), before interpolation; a context written
 * with `${...}`, a remote (git/URL) context, or compose files only on the host
 * cannot be checked here and are left to the docs.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { UserError } from '@deploy-actions/action-kit';
import { parse } from 'yaml';
import type { Bundle } from './bundle.js';

export interface ExposedContext {
  composeFile: string;
  service: string;
  /** The context as written. */
  context: string;
  /** The .dockerignore that would have to exclude `.releases`, relative to remote-dir (undefined: outside remote-dir). */
  ignoreFile?: string;
}

const OVERRIDES: Record<string, string> = {
  'compose.yaml': 'compose.override.yaml',
  'compose.yml': 'compose.override.yml',
  'docker-compose.yaml': 'docker-compose.override.yaml',
  'docker-compose.yml': 'docker-compose.override.yml',
};

/** A .dockerignore pattern as a RegExp over `/`-separated paths (Go filepath.Match plus `**`). */
function ignorePattern(line: string): RegExp {
  let body = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '*' && line[i + 1] === '*') {
      body += '.*';
      i++;
      if (line[i + 1] === '/') i++;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern that matches a directory excludes everything in it.
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** Whether .dockerignore text excludes `path` (relative to the context), docker's way: the last matching line wins. */
export function dockerignoreExcludes(text: string, path: string): boolean {
  let excluded = false;
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    line = posix.normalize(line.replace(/^\/+/, '')).replace(/\/+$/, '');
    if (line === '.' || line === '') continue;
    if (ignorePattern(line).test(path)) excluded = !negated;
  }
  return excluded;
}

function composeFilesToCheck(bundle: Bundle, composeFiles: readonly string[]): string[] {
  const named = composeFiles.length
    ? composeFiles.map((f) => posix.normalize(f.replace(/^\.\//, '')))
    : bundle.composeFile
      ? [bundle.composeFile, OVERRIDES[bundle.composeFile]!]
      : [];
  return named.filter((f) => !f.startsWith('/') && bundle.files.includes(f));
}

/** The build contexts, among the bundle's compose files, that would hold `.releases` without excluding it. */
export function findExposedContexts(bundle: Bundle, composeFiles: readonly string[]): ExposedContext[] {
  const exposed: ExposedContext[] = [];
  for (const file of composeFilesToCheck(bundle, composeFiles)) {
    let model: unknown;
    try {
      model = parse(readFileSync(join(bundle.sourceDir, file), 'utf8'));
    } catch {
      continue; // compose itself reports a broken file, with its own words, on the host.
    }
    const services = (model as { services?: Record<string, unknown> } | null)?.services;
    if (!services || typeof services !== 'object') continue;
    for (const [service, definition] of Object.entries(services)) {
      const build = (definition as { build?: unknown } | null)?.build;
      if (build === undefined || build === null) continue;
      const context =
        typeof build === 'string' ? build : String((build as { context?: unknown }).context ?? '.');
      if (context.includes('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context))
        continue;
      if (context.startsWith('/')) continue; // a host path: see the docs.
      const relative = posix.normalize(posix.join(posix.dirname(file), context));
      // '.' is remote-dir itself; '..' and above contain it. A subdirectory does not hold .releases.
      if (relative !== '.' && relative !== '..' && !relative.startsWith('../')) continue;
      if (relative !== '.') {
        exposed.push({ composeFile: file, service, context });
        continue;
      }
      const dockerfile =
        typeof build === 'object' && typeof (build as { dockerfile?: unknown }).dockerfile === 'string'
          ? posix.normalize((build as { dockerfile: string }).dockerfile)
          : 'Dockerfile';
      // BuildKit reads <Dockerfile>.dockerignore first when there is one, else .dockerignore.
      const candidates = [`${dockerfile}.dockerignore`, '.dockerignore'];
      const ignoreFile = candidates.find((f) => bundle.files.includes(f)) ?? '.dockerignore';
      const text = bundle.files.includes(ignoreFile)
        ? readFileSync(join(bundle.sourceDir, ignoreFile), 'utf8')
        : '';
      if (!dockerignoreExcludes(text, '.releases/a-release/env'))
        exposed.push({ composeFile: file, service, context, ignoreFile });
    }
  }
  return exposed;
}

/** Stops the deploy, before anything connects, when a build would see `.releases`. */
export function checkBuildContexts(bundle: Bundle, composeFiles: readonly string[]): void {
  const exposed = findExposedContexts(bundle, composeFiles);
  if (exposed.length === 0) return;
  const lines = exposed.map((e) =>
    e.ignoreFile
      ? `service '${e.service}' (${e.composeFile}) builds from '${e.context}', remote-dir itself: add the line '.releases' to ${e.ignoreFile}`
      : `service '${e.service}' (${e.composeFile}) builds from '${e.context}', which contains remote-dir: build from a directory inside remote-dir instead`,
  );
  throw new UserError(
    'build-context-exposes-releases',
    `A build context would include remote-dir/.releases (every release's files and env file copies, secrets included), ` +
      `so a build could copy them into an image:\n  - ${lines.join('\n  - ')}`,
  );
}
