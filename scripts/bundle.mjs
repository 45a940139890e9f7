#!/usr/bin/env node
/**
 * Bundles the CLI into dist/: dist/svc.mjs, which bin/svc loads, and the chunks it imports. Node's
 * ESM loader resolving and compiling ~100 small modules was most of every command's start-up time;
 * one bundle of everything made each command compile all 740 kB of it. Split at the lazy
 * `import()`s (each command, the context, execa), a command compiles commander, the command
 * declarations and its own chunks only: `--version` 156 kB, `daemon status` 264 kB, `service ps`
 * 530 kB (execa is half of it).
 *
 * dist/ then holds exactly this build's output (and its source maps, which cost nothing unless node
 * runs with --enable-source-maps): anything an earlier build left there is removed.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const OUT_DIR = 'dist';

const result = await build({
  entryPoints: { svc: 'src/cli.ts' },
  outdir: OUT_DIR,
  outExtension: { '.js': '.mjs' },
  // Chunks sit beside svc.mjs, so `new URL('../package.json', import.meta.url)` means the same in any of them.
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Written below: the chunks first and svc.mjs last, so a svc starting meanwhile never loads a half-written build.
  write: false,
  // Bundled CommonJS dependencies (proper-lockfile ...) call require().
  banner: { js: "import { createRequire as svcCreateRequire } from 'node:module'; const require = svcCreateRequire(import.meta.url);" },
});

const entry = path.resolve(OUT_DIR, 'svc.mjs');
const outputs = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
fs.mkdirSync(OUT_DIR, { recursive: true });
for (const file of outputs) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, file.contents);
  fs.renameSync(temporary, file.path);
}

const built = new Set(outputs.map((file) => file.path));
for (const name of fs.readdirSync(OUT_DIR)) {
  const file = path.resolve(OUT_DIR, name);
  if (!built.has(file)) fs.rmSync(file, { recursive: true, force: true });
}
