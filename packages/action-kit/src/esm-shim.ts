// Imported first by every action entry point. ncc's ESM output leaves CommonJS
// dependencies (ssh2) looking for __dirname, __filename and require, which ES
// modules do not have; this puts them on globalThis before those modules load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const scope = globalThis as Record<string, unknown>;
if (scope['__filename'] === undefined) scope['__filename'] = fileURLToPath(import.meta.url);
if (scope['__dirname'] === undefined) scope['__dirname'] = dirname(scope['__filename'] as string);
if (scope['require'] === undefined) scope['require'] = createRequire(import.meta.url);
