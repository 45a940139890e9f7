#!/usr/bin/env node
/**
 * Builds dist/, what bin/svc runs:
 *   dist/svc.cjs          the launcher (src/launch/main.ts): a few kB
 *   dist/cli-HASH.cjs     the whole CLI, one CommonJS bundle (and its source map)
 *   dist/cli-HASH.cache   V8's code cache for that bundle
 *   dist/api-vendor-HASH.cjs  the API server's HTTP libraries (src/api/vendor.ts), loaded by the CLI
 *                         bundle only when a server starts: over half the code, kept out of every
 *                         other command's start-up
 *   dist/web/             the web page: index.html and app.css as written, app.js bundled from
 *                         src/web/main.ts (no framework, nothing fetched from elsewhere)
 *
 * Start-up is most of a command's time, and Node 20 compiles ES modules from source on every run
 * with no cache. A script compiled with V8's code cache is deserialised instead (launch/main.ts).
 * Both are CommonJS, and so is bin/svc (bin/package.json says so): Node's ES module loader alone
 * cost `svc --version` ~7 ms of its ~15 ms above `node -e 0`.
 * The cache holds the functions a training run compiled, so this build runs svc's everyday commands
 * in-process once, against a stand-in `docker` that answers from nothing (the build needs no Docker
 * engine), and saves what V8 compiled meanwhile. The training run leaves nothing behind.
 *
 * Files are written the launcher last, each to a temporary name then renamed, so an svc starting
 * meanwhile never loads half a build; anything an earlier build left in dist/ is then removed.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const OUT_DIR = path.resolve('dist');
const VENDOR_SOURCE = path.resolve('src', 'api', 'vendor.ts');

/**
 * The CLI bundle and the API's vendor bundle, which the CLI require()s: one format and target, and
 * the content hash in their names. Whitespace and syntax are minified (a third less to read and hold
 * at every start); names are kept, so a bug's stack still says where it is.
 */
const HASHED_NODE_BUNDLE = {
  outdir: OUT_DIR,
  entryNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
  write: false,
};

const vendor = await build({ ...HASHED_NODE_BUNDLE, entryPoints: { 'api-vendor': VENDOR_SOURCE } });
const vendorFile = vendor.outputFiles.find((file) => file.path.endsWith('.cjs')).path;

/** The CLI's import of src/api/vendor.ts becomes a require() of the vendor bundle beside it. */
const vendorApart = {
  name: 'api-vendor-apart',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/vendor\.js$/ }, (args) => {
      if (path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) !== VENDOR_SOURCE) return undefined;
      return { path: `./${path.basename(vendorFile)}`, external: true };
    });
  },
};

/** The bundle the launcher compiles as a vm.Script (launch/main.ts) with a code cache. */
const LAUNCHED_BUNDLE = {
  ...HASHED_NODE_BUNDLE,
  // A bundle lives in dist/, one level below package.json, as src/cli.ts is below it.
  define: { 'import.meta.url': 'svcBundleUrl' },
  banner: { js: "const svcBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // A vm.Script's import() has no loader: every import is a require().
  supported: { 'dynamic-import': false },
};

const cli = await build({ ...LAUNCHED_BUNDLE, entryPoints: { cli: 'src/cli.ts' }, plugins: [vendorApart] });
const cliFile = cli.outputFiles.find((file) => file.path.endsWith('.cjs')).path;

const launcher = await build({
  entryPoints: { svc: 'src/launch/main.ts' },
  outdir: OUT_DIR,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  write: false,
  define: {
    SVC_CLI_BUNDLE: JSON.stringify(path.basename(cliFile)),
    'import.meta.url': 'svcLauncherUrl',
  },
  banner: { js: "const svcLauncherUrl = require('node:url').pathToFileURL(__filename).href;" },
});

const page = await build({
  entryPoints: { app: 'src/web/main.ts' },
  outdir: path.join(OUT_DIR, 'web'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  logLevel: 'warning',
  write: false,
});
const WEB_SOURCES = ['index.html', 'app.css'];

const writeAtomically = (file, contents) => {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
};

fs.mkdirSync(path.join(OUT_DIR, 'web'), { recursive: true });
// The vendor bundle before the CLI that names it.
for (const file of [...vendor.outputFiles, ...cli.outputFiles, ...page.outputFiles])
  writeAtomically(file.path, file.contents);
for (const name of WEB_SOURCES)
  writeAtomically(path.join(OUT_DIR, 'web', name), fs.readFileSync(path.join('src', 'web', name)));

// The launcher under a name of its own first: its compileBundle makes the caches exactly as it will read them.
const [launcherOutput] = launcher.outputFiles;
const launcherDraft = path.join(OUT_DIR, `svc.${process.pid}.draft.cjs`);
fs.writeFileSync(launcherDraft, launcherOutput.contents);
try {
  const { compileBundle, codeCacheFileFor } = createRequire(import.meta.url)(launcherDraft);
  const cliBundle = compileBundle(cliFile);
  await trainingRun(cliBundle.exports);
  writeAtomically(codeCacheFileFor(cliFile), cliBundle.script.createCachedData());
} finally {
  fs.rmSync(launcherDraft, { force: true });
}
writeAtomically(launcherOutput.path, launcherOutput.contents);

const built = new Set([
  ...vendor.outputFiles.map((file) => file.path),
  ...cli.outputFiles.map((file) => file.path),
  ...page.outputFiles.map((file) => file.path),
  ...WEB_SOURCES.map((name) => path.join(OUT_DIR, 'web', name)),
  path.join(OUT_DIR, 'web'),
  launcherOutput.path,
  cliFile.replace(/\.cjs$/, '.cache'),
]);
/**
 * Earlier builds' files go. A process of an earlier build keeps what it loaded, but the CLI bundle
 * loads the API's vendor bundle only when a server starts (`svc serve`, `daemon start --listen`):
 * an old CLI process that starts one after a rebuild finds its vendor bundle gone and fails at
 * once. Run `svc daemon stop && svc daemon start` after a build, as after any upgrade.
 */
const removeStale = (dir) => {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!built.has(file)) fs.rmSync(file, { recursive: true, force: true });
    else if (fs.statSync(file).isDirectory()) removeStale(file);
  }
};
removeStale(OUT_DIR);

/**
 * The commands people run most, each once, in this process: what V8 compiles for them goes into the
 * cache. docker is a stand-in on PATH that answers every question with nothing; the state dir is a
 * temporary one; output is swallowed. A command that fails here only makes the cache smaller, so
 * this warns rather than failing the build.
 */
async function trainingRun(bundle) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-build-training-'));
  const fakeDocker = path.join(scratch, 'bin', 'docker');
  fs.mkdirSync(path.dirname(fakeDocker));
  fs.writeFileSync(
    fakeDocker,
    [
      '#!/bin/sh',
      'case "$1" in',
      '  version) echo 20.10.0 ;;',
      '  create) echo 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ;;',
      '  inspect) echo "[]" ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const commands = [
    ['--version'],
    ['service', 'create', '--name', 'training', '-e', 'A=1', 'training:latest', 'sleep', '1'],
    ['service', 'run', '--name', 'trained', '--autorestart', 'ON_FAILURE', 'training:latest'],
    ['service', 'ps'],
    ['service', 'ps', '--json'],
    ['service', 'inspect', 'training'],
    ['container', 'ps'],
    ['m', 'run', '-n', 'training', 'training:latest', 'sleep', '1'],
    ['m', 'list'],
    ['m', 'status', 'training'],
    ['events'],
  ];
  const saved = {
    env: { ...process.env },
    stdout: process.stdout.write,
    stderr: process.stderr.write,
    cwd: process.cwd(),
  };
  Object.assign(process.env, {
    PATH: `${path.dirname(fakeDocker)}:${process.env.PATH}`,
    SVC_HOME: path.join(scratch, 'home'),
    SVC_NO_AUTOSTART: '1',
    NO_COLOR: '1',
  });
  process.chdir(scratch);
  const failed = [];
  try {
    for (const args of commands) {
      let output = '';
      process.stdout.write = process.stderr.write = (chunk) => ((output += chunk), true);
      process.exitCode = undefined;
      await bundle.main(['node', 'svc', ...args]);
      if (process.exitCode)
        failed.push(`svc ${args.join(' ')}: exit ${process.exitCode}: ${output.trim().split('\n')[0]}`);
    }
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.exitCode = undefined;
    process.chdir(saved.cwd);
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  for (const line of failed) console.warn(`bundle: training run: ${line} (the code cache is smaller for it)`);
}
