#!/usr/bin/env node
// The deploy-actions command (dist/cli/index.js, the package bin). The shim must load
// before any CommonJS dependency, as in every action bundle.
import '@deploy-actions/action-kit/esm-shim';
import type { ActionDefinition } from '@deploy-actions/action-kit';
import { runCli } from './run.js';
import type { ActionName } from './specs.js';

async function loadAction(name: ActionName): Promise<ActionDefinition> {
  switch (name) {
    case 'ssh-deploy':
      return (await import('../../ssh-deploy/lib/main.js')).action;
    case 'render-env':
      return (await import('../../render-env/lib/main.js')).action;
    case 'wait-ready':
      return (await import('../../wait-ready/lib/main.js')).action;
    case 'verify-signature':
      return (await import('../../verify-signature/lib/main.js')).action;
    case 'secret-scan-gate':
      return (await import('../../secret-scan-gate/lib/main.js')).action;
  }
}

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  loadAction,
});
