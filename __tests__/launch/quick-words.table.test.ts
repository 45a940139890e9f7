/**
 * The command lines the launcher gives the quick listings: only those they read exactly as the
 * CLI's commander program does. Every other line is left to the CLI (null), which answers or fails
 * with its own message and exit code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  quickListingFor,
  quickMachineListFlags,
  quickServicePsFlags,
  type QuickMachineListFlags,
  type QuickServicePsFlags,
} from '../../src/launch/quick-words.js';

const flags = (given: Partial<QuickServicePsFlags> = {}): QuickServicePsFlags => ({
  quiet: undefined,
  status: undefined,
  json: undefined,
  color: true,
  ...given,
});

test.each<[string, string[], QuickServicePsFlags]>([
  ['no flags', [], flags()],
  ['-q', ['-q'], flags({ quiet: true })],
  ['--quiet', ['--quiet'], flags({ quiet: true })],
  ['--json', ['--json'], flags({ json: true })],
  ['--no-color', ['--no-color'], flags({ color: false })],
  ['-s with a state in any case', ['-s', 'running'], flags({ status: 'Running' })],
  ['--status with a state of two words', ['--status', 'NOT RUNNING'], flags({ status: 'Not running' })],
  ['--status=STATE', ['--status=Partly running'], flags({ status: 'Partly running' })],
  ['a repeated -s: the last counts, as in commander', ['-s', 'running', '-s', 'stopped'], flags({ status: 'Stopped' })],
  ['a repeated flag', ['-q', '--quiet'], flags({ quiet: true })],
  [
    'all it knows at once',
    ['--no-color', '-s', 'Stopped', '--json'],
    flags({ json: true, status: 'Stopped', color: false }),
  ],
])('service ps %s is answered quickly', (_, rest, expected) => {
  expect(quickServicePsFlags(['service', 'ps', ...rest])).toEqual(expected);
});

test.each<[string, string[]]>([
  ['another command', ['service', 'inspect', 'web']],
  ['another group', ['container', 'ps']],
  ['no words', []],
  ['help', ['service', 'ps', '--help']],
  ['-h', ['service', 'ps', '-h']],
  ['-q with --json (a usage error)', ['service', 'ps', '-q', '--json']],
  ['a state that does not exist', ['service', 'ps', '-s', 'sleeping']],
  ['-s with no state', ['service', 'ps', '-s']],
  ['--status= with nothing', ['service', 'ps', '--status=']],
  ['a flag in front of its state', ['service', 'ps', '-s', '--json']],
  ['a state and a bad one after it', ['service', 'ps', '-s', 'running', '-s', 'sleeping']],
  ['joined short flags', ['service', 'ps', '-qs', 'running']],
  ['a state joined to -s', ['service', 'ps', '-srunning']],
  ['an unknown flag', ['service', 'ps', '--all']],
  ['a misspelt flag', ['service', 'ps', '--jsn']],
  ['an argument', ['service', 'ps', 'web']],
  ['the end of options', ['service', 'ps', '--']],
  ['a program option first', ['--no-color', 'service', 'ps']],
])('%s is left to the CLI', (_, words) => {
  expect(quickServicePsFlags(words)).toBeNull();
});

/** A working directory with no fly.toml in it, unless a test writes one. */
let cwd: string;
beforeEach(() => (cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-quick-words-'))));
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

const machineFlags = (given: Partial<QuickMachineListFlags> = {}): QuickMachineListFlags => ({
  app: undefined,
  quiet: undefined,
  json: undefined,
  color: true,
  ...given,
});

test.each<[string, string[], QuickMachineListFlags]>([
  ['m list', ['m', 'list'], machineFlags()],
  ['machine list', ['machine', 'list'], machineFlags()],
  ['-a APP', ['m', 'list', '-a', 'shop'], machineFlags({ app: 'shop' })],
  ['--app APP', ['m', 'list', '--app', 'shop'], machineFlags({ app: 'shop' })],
  ['--app=APP', ['m', 'list', '--app=shop'], machineFlags({ app: 'shop' })],
  ['a repeated -a: the last counts', ['m', 'list', '-a', 'shop', '-a', 'blog'], machineFlags({ app: 'blog' })],
  ['-q --no-color', ['m', 'list', '-q', '--no-color'], machineFlags({ quiet: true, color: false })],
  ['--json -a APP', ['machine', 'list', '--json', '-a', 'shop'], machineFlags({ json: true, app: 'shop' })],
])('%s is answered quickly', (_, words, expected) => {
  expect(quickMachineListFlags(words)).toEqual(expected);
  expect(quickListingFor(words, cwd)).toEqual({ command: 'm list', flags: expected });
});

test.each<[string, string[]]>([
  ['the ls alias (no early listing for it)', ['m', 'ls']],
  ['m status', ['m', 'status', 'shop-1']],
  ['-a with no app', ['m', 'list', '-a']],
  ['an app that looks like a flag', ['m', 'list', '-a', '--json']],
  ['-q with --json', ['m', 'list', '-q', '--json']],
  ['-s, which m list has not', ['m', 'list', '-s', 'running']],
  ['joined -aAPP', ['m', 'list', '-ashop']],
  ['help', ['m', 'list', '--help']],
])('m list: %s is left to the CLI', (_, words) => {
  expect(quickMachineListFlags(words)).toBeNull();
  expect(quickListingFor(words, cwd)).toBeNull();
});

test("m list beside a fly.toml without -a is the CLI's (it reads the app, or says the file is broken); with -a, quick", () => {
  fs.writeFileSync(path.join(cwd, 'fly.toml'), 'app = "shop"\n');
  expect(quickListingFor(['m', 'list'], cwd)).toBeNull();
  expect(quickListingFor(['m', 'list', '-a', 'blog'], cwd)).toEqual({
    command: 'm list',
    flags: machineFlags({ app: 'blog' }),
  });
  expect(quickListingFor(['service', 'ps'], cwd)).not.toBeNull();
});

test('service ps goes to the quick listing as service ps', () => {
  expect(quickListingFor(['service', 'ps', '-q'], cwd)).toEqual({
    command: 'service ps',
    flags: { quiet: true, status: undefined, json: undefined, color: true },
  });
});
