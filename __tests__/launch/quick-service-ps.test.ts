/**
 * The quick `service ps` (src/launch/quick-service-ps.ts) prints what the CLI's command prints, and
 * declines, printing nothing, wherever its answer could differ from the CLI's: the CLI then
 * answers, upgrades or fails as it always has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../src/adapters/docker.js';
import { LIST_MANAGED_ARGS, parseManagedListing } from '../../src/adapters/docker-listing.js';
import type { EarlyDockerRun } from '../../src/adapters/early-run.js';
import { serviceListing } from '../../src/commands/service/ps.js';
import { observeState } from '../../src/engine/observe.js';
import { quickServiceListing } from '../../src/launch/quick-service-ps.js';
import type { QuickServicePsFlags } from '../../src/launch/quick-words.js';
import { stateWith, tempStateDir, workloadRecord } from '../store/fixtures.js';

/** A state.json the real svc wrote at schema 1 (see __tests__/store/schema-upgrade.test.ts). */
const SCHEMA_1_STATE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'store', 'fixtures', 'schema-1', 'state.json');
const NOW = Date.now();
const CONTAINER_ID = 'a'.repeat(64);
const running = workloadRecord('11111111-1111-4111-8111-111111111111', { name: 'web', intent: 'running', createdAt: NOW - 60_000 });
running.instances[0] = { ...running.instances[0], intent: 'running', containerId: CONTAINER_ID };
const stopped = workloadRecord('22222222-2222-4222-8222-222222222222', { name: 'db', createdAt: NOW - 30_000 });
const machine = workloadRecord('33333333-3333-4333-8333-333333333333', { dialect: 'machine', name: 'm1' });
const STATE = stateWith([running, stopped, machine]);

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
const early = (outcome: RunResult | null): EarlyDockerRun => ({ args: LIST_MANAGED_ARGS, outcome: Promise.resolve(outcome) });
const flags = (given: Partial<QuickServicePsFlags> = {}): QuickServicePsFlags => ({ quiet: undefined, status: undefined, json: undefined, color: false, ...given });

let dir: string;
const around = (extraEnv: Record<string, string> = {}, stdoutIsTTY = false) => ({ env: { SVC_HOME: dir, ...extraEnv }, stdoutIsTTY, now: () => NOW });
const writeState = (document: unknown) => fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(document));
beforeEach(() => {
  dir = tempStateDir();
  writeState(STATE);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What the CLI's command prints for the same state and listing (the clock read once for both). */
const cliListing = (given: QuickServicePsFlags, now: number) =>
  serviceListing(observeState(STATE, parseManagedListing(LISTING_LINE), 'service', now), given, false, now);

test.each<[string, Partial<QuickServicePsFlags>]>([
  ['the table', {}],
  ['--json', { json: true }],
  ['-q', { quiet: true }],
  ['-s Running', { status: 'Running' }],
  ['-s Stopped --json', { status: 'Stopped', json: true }],
])('%s: what the CLI prints, services only', async (_, given) => {
  const text = await quickServiceListing(flags(given), early(answered(LISTING_LINE)), around());
  expect(text).toBe(await cliListing(flags(given), NOW));
  expect(text).not.toContain('m1');
});

test('colour only on a terminal, and not with --no-color or NO_COLOR', async () => {
  const ESC = '\u001b[';
  const listing = (color: boolean, extraEnv: Record<string, string>, stdoutIsTTY: boolean) =>
    quickServiceListing(flags({ color }), early(answered(LISTING_LINE)), around(extraEnv, stdoutIsTTY));
  expect(await listing(true, {}, true)).toContain(ESC);
  expect(await listing(true, {}, false)).not.toContain(ESC);
  expect(await listing(false, {}, true)).not.toContain(ESC);
  expect(await listing(true, { NO_COLOR: '' }, true)).not.toContain(ESC);
  expect(await listing(true, { TERM: 'dumb' }, true)).not.toContain(ESC);
});

test('a state dir with no state yet lists nothing, as the CLI does', async () => {
  fs.rmSync(path.join(dir, 'state.json'));
  expect(await quickServiceListing(flags({ json: true }), early(answered('')), around())).toBe('[]\n');
});

describe('declines, and leaves the state dir as it was, when', () => {
  /** An arrangement that changes only the state dir. */
  const onDisk = (change: () => void) => () => {
    change();
    return {};
  };
  const filesIn = () => Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));

  test.each<[string, () => { outcome?: RunResult | null; env?: Record<string, string> }]>([
    ['docker could not be run', () => ({ outcome: null })],
    ['docker failed (the CLI says why, and exits 4 if the engine is down)', () => ({ outcome: { stdout: '', stderr: 'Cannot connect to the Docker daemon', exitCode: 1 } })],
    ['docker printed what is not a listing', () => ({ outcome: answered('not json') })],
    ['a setting is bad (the CLI names it)', () => ({ env: { SVC_RECONCILE_MS: 'soon' } })],
    ['SVC_BACKEND=swarm (the swarm lists its own)', () => ({ env: { SVC_BACKEND: 'swarm' } })],
    ['the state dir has the swarm marker', onDisk(() => fs.writeFileSync(path.join(dir, 'swarm-in-use'), ''))],
    ['the state file is an older svc\'s (the CLI upgrades it under the lock)', onDisk(() => fs.copyFileSync(SCHEMA_1_STATE, path.join(dir, 'state.json')))],
    ['the state file is from a newer svc', onDisk(() => writeState({ ...STATE, schemaVersion: STATE.schemaVersion + 1 }))],
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
    expect(await quickServiceListing(flags(), early(outcome), around(extra))).toBeNull();
    expect(filesIn()).toEqual(before);
  });
});
