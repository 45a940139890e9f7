/**
 * dist/svc.cjs, what bin/svc loads: a few kB that start the docker question a listing command will
 * ask (early-listing.ts), then run the CLI bundle with its V8 code cache.
 *
 * Node 20 compiles every ES module from source on every start: for `service ps` that was ~17 ms of
 * its ~80 ms above `node -e 0`. So the CLI is one CommonJS bundle (dist/cli-HASH.cjs), compiled here
 * as a script with the code cache the build made for it (dist/cli-HASH.cache, see
 * scripts/bundle.mjs), and V8 deserialises instead of parsing. A cache V8 does not accept (another
 * node, a build with no cache) is ignored: the bundle is then compiled from source, just slower.
 * The two names carry the bundle's content hash, so a cache never meets another build's bundle
 * (V8 itself checks only the source's length).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { startEarlyListing } from './early-listing.js';
import type { CliBundle } from './options.js';

/** The CLI bundle's file name in dist/, set by scripts/bundle.mjs. */
declare const SVC_CLI_BUNDLE: string;

export const codeCacheFileFor = (bundleFile: string): string => bundleFile.replace(/\.cjs$/, '.cache');

/** The bundle compiled as node compiles a CommonJS module, with the cache when one is given. */
export const compileBundle = <Exports>(
  bundleFile: string,
  cachedData?: Buffer,
): { exports: Exports; script: vm.Script } => {
  const source = fs.readFileSync(bundleFile, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundleFile,
    cachedData,
  });
  const module = { exports: {} as Exports };
  const load = script.runInThisContext() as (...args: unknown[]) => void;
  load.call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  return { exports: module.exports, script };
};

const readCodeCache = (bundleFile: string): Buffer | undefined => {
  try {
    return fs.readFileSync(codeCacheFileFor(bundleFile));
  } catch {
    return undefined;
  }
};

/**
 * The launcher's speed-only parts that scripts/bench.mjs turns off, one at a time, to time what each
 * buys: SVC_BENCH_WITHOUT lists them (`early-listing,code-cache`). Nothing else sets it, and
 * every command prints the same with any of them off.
 */
const benchWithout = (part: 'early-listing' | 'code-cache'): boolean =>
  (process.env.SVC_BENCH_WITHOUT ?? '').split(',').includes(part);

/** A bundle in dist/ beside this file, with its code cache. */
const loadBundle = <Exports>(name: string): Exports => {
  const bundleFile = path.join(path.dirname(fileURLToPath(import.meta.url)), name);
  return compileBundle<Exports>(bundleFile, benchWithout('code-cache') ? undefined : readCodeCache(bundleFile)).exports;
};

/**
 * `svc --version` (or `-V`) alone needs nothing but package.json, so it is answered here, as the
 * CLI would answer it, without loading the CLI.
 */
const printsVersionOnly = (words: readonly string[]) =>
  words.length === 1 && (words[0] === '--version' || words[0] === '-V');

const printVersion = () => {
  const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  process.stdout.write(`${version}\n`);
};

export const main = async (argv: string[]): Promise<void> => {
  const words = argv.slice(2);
  if (printsVersionOnly(words)) return printVersion();
  const earlyListing = benchWithout('early-listing') ? undefined : startEarlyListing(words);
  await loadBundle<CliBundle>(SVC_CLI_BUNDLE).main(argv, { earlyListing });
};
