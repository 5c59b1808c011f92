export type ComposeFlavour = 'v2' | 'v1';

/** How compose is called on a host, with the project's files, name and env. */
export interface ComposeInvocation {
  flavour: ComposeFlavour;
  /** `docker compose ...` or `docker-compose ...` with -p, -f and --env-file set. */
  argv(...subcommand: string[]): string[];
}

/**
 * Builds compose command lines. v2 takes several --env-file (later wins);
 * v1 (1.29) takes one, so the caller passes the merged file for v1.
 */
export function composeInvocation(options: {
  flavour: ComposeFlavour;
  projectName?: string;
  files: readonly string[];
  envFiles: readonly string[];
}): ComposeInvocation {
  const base = options.flavour === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
  const global: string[] = [];
  if (options.projectName) global.push('-p', options.projectName);
  for (const file of options.files) global.push('-f', file);
  for (const envFile of options.envFiles) global.push('--env-file', envFile);
  return {
    flavour: options.flavour,
    argv: (...subcommand) => [...base, ...global, ...subcommand],
  };
}
