#!/usr/bin/env node
/**
 * Bundles the CLI into one file, dist/svc.mjs, which bin/svc loads. Node's ESM loader resolving and
 * compiling ~100 small modules and their dependencies was most of every command's start-up time.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/svc.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS dependencies (proper-lockfile ...) call require().
  banner: { js: "import { createRequire as svcCreateRequire } from 'node:module'; const require = svcCreateRequire(import.meta.url);" },
});
