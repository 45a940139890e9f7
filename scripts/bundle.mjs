#!/usr/bin/env node
/**
 * Builds dist/, what bin/svc runs:
 *   dist/svc.cjs          the launcher (src/launch/main.ts): a few kB
 *   dist/cli-HASH.cjs     the whole CLI, one CommonJS bundle (and its source map)
 *   dist/api-vendor-HASH.cjs  the API server's HTTP libraries (src/api/vendor.ts), loaded by the CLI
 *                         bundle only when a server starts: over half the code, kept out of every
 *                         other command's start-up
 *   dist/web/             the web page: index.html and app.css as written, app.js bundled from
 *                         src/web/main.ts (no framework, nothing fetched from elsewhere)
 *
 * Start-up is most of a command's time, and Node 20 compiles ES modules from source on every run
 * with no cache, all of a module at once. A CommonJS bundle is compiled lazily, a function when it
 * first runs, and bin/svc is CommonJS too (bin/package.json says so): Node's ES module loader alone
 * cost `svc --version` ~7 ms of its ~15 ms above `node -e 0`.
 *
 * Files are written the launcher last, each to a temporary name then renamed, so an svc starting
 * meanwhile never loads half a build; anything an earlier build left in dist/ is then removed.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

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

const cli = await build({
  ...HASHED_NODE_BUNDLE,
  entryPoints: { cli: 'src/cli.ts' },
  plugins: [vendorApart],
  // The bundle lives in dist/, one level below package.json, as src/cli.ts is below it.
  define: { 'import.meta.url': 'svcBundleUrl' },
  banner: { js: "const svcBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Every import a require(): node's ES module loader never starts.
  supported: { 'dynamic-import': false },
});
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

const [launcherOutput] = launcher.outputFiles;
writeAtomically(launcherOutput.path, launcherOutput.contents);

const built = new Set([
  ...vendor.outputFiles.map((file) => file.path),
  ...cli.outputFiles.map((file) => file.path),
  ...page.outputFiles.map((file) => file.path),
  ...WEB_SOURCES.map((name) => path.join(OUT_DIR, 'web', name)),
  path.join(OUT_DIR, 'web'),
  launcherOutput.path,
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
