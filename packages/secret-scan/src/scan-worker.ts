// The script of a scan worker thread (see pool.ts), for the compiled package; a bundle
// starts the worker from its own entry point instead.
import { startScanWorker } from './pool.js';

startScanWorker();
