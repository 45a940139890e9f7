/**
 * The quick listings (src/launch/quick-listing.ts) print what the CLI's commands print, and
 * decline, printing nothing, wherever their answer could differ from the CLI's: the CLI then
 * answers, upgrades or fails as it always has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../src/adapters/docker.js';
import { LIST_MANAGED_ARGS, parseManagedListing } from '../../src/adapters/docker-listing.js';
import type { EarlyDockerRun } from '../../src/adapters/early-run.js';
import { machineListing } from '../../src/commands/machine/listing.js';
import { serviceListing } from '../../src/commands/service/ps.js';
import { observeState } from '../../src/engine/observe.js';
import { quickListing } from '../../src/launch/quick-listing.js';
import type { QuickListing, QuickMachineListFlags, QuickServicePsFlags } from '../../src/launch/quick-words.js';
import { stateWith, tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

/** A state.json the real svc wrote at schema 1 (see __tests__/adapters/store-schema-upgrade.docker.test.ts). */
const SCHEMA_1_STATE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'adapters',
  'fixtures',
  'schema-1',
  'state.json',
);
const NOW = Date.now();
const CONTAINER_ID = 'a'.repeat(64);
const running = workloadRecord('11111111-1111-4111-8111-111111111111', {
  name: 'web',
  intent: 'running',
  createdAt: NOW - 60_000,
});
running.instances[0] = { ...running.instances[0], intent: 'running', containerId: CONTAINER_ID };
const stopped = workloadRecord('22222222-2222-4222-8222-222222222222', { name: 'db', createdAt: NOW - 30_000 });
const machine = (id: string, name: string, app: string, overrides = {}) =>
  workloadRecord(id, { dialect: 'machine', name, app, createdAt: NOW - 20_000, ...overrides });
const MACHINES = [
  machine('3908032c794088', 'shop-1', 'shop'),
  machine('4908032c794088', 'blog-1', 'blog'),
  machine('5908032c794088', 'shop-gone', 'shop', { intent: 'terminated', destroyedAt: NOW - 1_000 }),
];
const STATE = stateWith([running, stopped, ...MACHINES]);

const LISTING_LINE = JSON.stringify({
  ID: CONTAINER_ID,
  Names: 'web-1',
  Image: 'svc-busybox:latest',
  Command: '"sleep 3600"',
  State: 'running',
  Status: 'Up 1 minute',
  CreatedAt: '2026-12-02 08:00:00 +0000 UTC',
  Labels: 'io.svc.managed=true',
});
const answered = (stdout: string): RunResult => ({ stdout, stderr: '', exitCode: 0 });
const early = (outcome: RunResult | null = answered(LISTING_LINE)): EarlyDockerRun => ({
  args: LIST_MANAGED_ARGS,
  outcome: Promise.resolve(outcome),
});
const servicePs = (given: Partial<QuickServicePsFlags> = {}): QuickListing => ({
  command: 'service ps',
  flags: { quiet: undefined, status: undefined, json: undefined, color: false, ...given },
});
const mList = (given: Partial<QuickMachineListFlags> = {}): QuickListing => ({
  command: 'm list',
  flags: { app: undefined, quiet: undefined, json: undefined, color: false, ...given },
});

let dir: string;
const around = (extraEnv: Record<string, string> = {}, stdoutIsTTY = false) => ({
  env: { SVC_HOME: dir, ...extraEnv },
  stdoutIsTTY,
  now: () => NOW,
});
const writeState = (document: unknown) => fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(document));
beforeEach(() => {
  dir = tempStateDir();
  writeState(STATE);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('service ps', () => {
  test.each<[string, Partial<QuickServicePsFlags>]>([
    ['the table', {}],
    ['--json', { json: true }],
    ['-q', { quiet: true }],
    ['-s Running', { status: 'Running' }],
    ['-s Stopped --json', { status: 'Stopped', json: true }],
  ])('%s: what the CLI prints, services only', async (_, given) => {
    const output = await quickListing(servicePs(given), early(), around());
    const cli = await serviceListing(
      observeState(STATE, parseManagedListing(LISTING_LINE), 'service', NOW),
      servicePs(given).flags as QuickServicePsFlags,
      false,
      NOW,
    );
    expect(output).toEqual({ stdout: cli, stderr: '' });
    expect(output?.stdout).not.toContain('shop');
  });

  test('colour only on a terminal, and not with --no-color, NO_COLOR or TERM=dumb', async () => {
    const ESC = '\u001b[';
    const listing = async (color: boolean, extraEnv: Record<string, string>, stdoutIsTTY: boolean) =>
      (await quickListing(servicePs({ color }), early(), around(extraEnv, stdoutIsTTY)))?.stdout;
    expect(await listing(true, {}, true)).toContain(ESC);
    expect(await listing(true, {}, false)).not.toContain(ESC);
    expect(await listing(false, {}, true)).not.toContain(ESC);
    expect(await listing(true, { NO_COLOR: '' }, true)).not.toContain(ESC);
    expect(await listing(true, { TERM: 'dumb' }, true)).not.toContain(ESC);
  });

  test('a state dir with no state yet lists nothing, as the CLI does', async () => {
    fs.rmSync(path.join(dir, 'state.json'));
    expect(await quickListing(servicePs({ json: true }), early(answered('')), around())).toEqual({
      stdout: '[]\n',
      stderr: '',
    });
  });
});

describe('m list', () => {
  test.each<[string, Partial<QuickMachineListFlags>, string | null]>([
    ['every app', {}, null],
    ['-a shop', { app: 'shop' }, 'shop'],
    ['-a shop --json', { app: 'shop', json: true }, 'shop'],
    ['-q', { quiet: true }, null],
    ['-a of an app with no machines', { app: 'none' }, 'none'],
  ])('%s: what the CLI prints, live machines only', async (_, given, app) => {
    const output = await quickListing(mList(given), early(), around());
    const cli = await machineListing(
      observeState(STATE, parseManagedListing(LISTING_LINE), 'machine', NOW),
      app,
      mList(given).flags as QuickMachineListFlags,
      false,
    );
    expect(output).toEqual(cli);
    expect(output?.stdout).not.toContain('shop-gone');
    expect(output?.stdout).not.toContain('web');
  });

  test('the count line goes to stderr, as flyctl prints it', async () => {
    expect((await quickListing(mList({ app: 'shop' }), early(), around()))?.stderr).toBe(
      '1 machine has been retrieved from app shop.\n',
    );
    expect((await quickListing(mList(), early(), around()))?.stderr).toBe(
      '2 machines have been retrieved from all apps.\n',
    );
  });
});

describe('declines, and leaves the state dir as it was, when', () => {
  /** An arrangement that changes only the state dir. */
  const onDisk = (change: () => void) => () => {
    change();
    return {};
  };
  const filesIn = () =>
    Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));

  test.each<[string, () => { outcome?: RunResult | null; env?: Record<string, string> }]>([
    ['docker could not be run', () => ({ outcome: null })],
    [
      'docker failed (the CLI says why, and exits 4 if the engine is down)',
      () => ({ outcome: { stdout: '', stderr: 'Cannot connect to the Docker daemon', exitCode: 1 } }),
    ],
    ['docker printed what is not a listing', () => ({ outcome: answered('not json') })],
    ['a setting is bad (the CLI names it)', () => ({ env: { SVC_RECONCILE_MS: 'soon' } })],
    ['SVC_BACKEND=swarm (the swarm lists its own)', () => ({ env: { SVC_BACKEND: 'swarm' } })],
    ['the state dir has the swarm marker', onDisk(() => fs.writeFileSync(path.join(dir, 'swarm-in-use'), ''))],
    [
      "the state file is an older svc's (the CLI upgrades it under the lock)",
      onDisk(() => fs.copyFileSync(SCHEMA_1_STATE, path.join(dir, 'state.json'))),
    ],
    [
      'the state file is from a newer svc',
      onDisk(() => writeState({ ...STATE, schemaVersion: STATE.schemaVersion + 1 })),
    ],
    ['the state file is not JSON', onDisk(() => fs.writeFileSync(path.join(dir, 'state.json'), '{"schemaVersion": '))],
    [
      'the state file is gone though svc wrote it',
      onDisk(() => {
        fs.rmSync(path.join(dir, 'state.json'));
        fs.writeFileSync(path.join(dir, 'state.written'), 'marker');
      }),
    ],
  ])('%s', async (_, arrange) => {
    const { outcome = answered(LISTING_LINE), env: extra = {} } = arrange();
    const before = filesIn();
    for (const listing of [servicePs(), mList({ app: 'shop' })])
      expect(await quickListing(listing, early(outcome), around(extra))).toBeNull();
    expect(filesIn()).toEqual(before);
  });
});
