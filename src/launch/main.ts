/**
 * dist/svc.cjs, what bin/svc loads: a few kB that start the docker question a listing command will
 * ask (early-listing.ts), then load the CLI bundle.
 *
 * Node 20 compiles every ES module from source on every start, and its ES module loader alone
 * costs a command milliseconds: so the CLI is one CommonJS bundle (dist/cli-HASH.cjs, see
 * scripts/bundle.mjs), which node compiles lazily, a function when it first runs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { startEarlyListing } from './early-listing.js';
import type { CliBundle } from './options.js';

/** The CLI bundle's file name in dist/, set by scripts/bundle.mjs. */
declare const SVC_CLI_BUNDLE: string;

/**
 * The launcher's speed-only part that scripts/bench.mjs turns off to time what it buys:
 * SVC_BENCH_WITHOUT=early-listing. Nothing else sets it, and every command prints the same with it off.
 */
const benchWithout = (part: 'early-listing'): boolean =>
  (process.env.SVC_BENCH_WITHOUT ?? '').split(',').includes(part);

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
  const cli = createRequire(import.meta.url)(`./${SVC_CLI_BUNDLE}`) as CliBundle;
  await cli.main(argv, { earlyListing });
};
