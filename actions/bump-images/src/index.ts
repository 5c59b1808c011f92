// The bundle's entry point: the shim must load before any CommonJS dependency.
import '@deploy-actions/action-kit/esm-shim';
import { runAction } from '@deploy-actions/action-kit';
import { action } from './main.js';

await runAction(action);
