// The bundle's entry point: the shim must load before any CommonJS dependency.
import '@deploy-actions/action-kit/esm-shim';
import { runAction } from '@deploy-actions/action-kit';
import { isScanWorker, setScanWorkerEntry, startScanWorker } from '@deploy-actions/secret-scan';
import { action } from './main.js';

// The scan's worker threads run this same file (the bundle is one file): they scan, not act.
if (isScanWorker()) startScanWorker();
else {
  setScanWorkerEntry(new URL(import.meta.url));
  await runAction(action);
}
