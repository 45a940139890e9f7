/**
 * End to end, user data that holds terminal control sequences (issue 20, case 13): a run_command
 * that clears the screen, sets the window title and forges a line reaches the human-readable
 * outputs (tables, `m status`, `events`, error messages) with its control characters shown
 * escaped, while --json keeps the exact text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import {
  cleanupContainers,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  SVC_BIN,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

/** Clears the screen, homes the cursor, sets the title, then forges a line of its own. */
const HOSTILE = '\u001b[2J\u001b[H\u001b]0;pwned\u0007\r\nforged\u009b31m\u202e';
const SHOWN = '\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07\\r\\nforged\\x9b31m\\u202e';
const COMMAND = ['sh', '-c', `sleep 600 # ${HOSTILE}`];

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

let home: string;
let workloads: string[] = [];

beforeAll(requireDocker);
beforeEach(() => {
  home = makeStateDir();
});
afterEach(async () => {
  await cleanupContainers(workloads);
  workloads = [];
  removeStateDir(home);
});

const ok = async (args: string[]) => {
  const result = await svc(args, { home });
  expect({ args, exitCode: result.exitCode, stderr: result.stderr }).toEqual({
    args,
    exitCode: 0,
    stderr: expect.any(String),
  });
  return result;
};

/** Human-readable: no raw control character but line feeds, and the hostile text shown escaped. */
const expectEscaped = (text: string) => {
  expect(text).not.toMatch(RAW_CONTROL);
  expect(text).toContain(SHOWN);
};

it("container ps and events: escaped; inspect's JSON: exact", async () => {
  const name = uniqueName('esc');
  const id = (await ok(['service', 'run', '-n', name, TEST_IMAGE, ...COMMAND])).stdout.trim();
  workloads.push(id);

  expectEscaped((await ok(['container', 'ps'])).stdout);
  // JSON (inspect, --json) is exact: its reader gets the command as it was given.
  const inspected = JSON.parse((await ok(['service', 'inspect', id])).stdout) as { run_command: string };
  expect(inspected.run_command).toContain(HOSTILE);

  // An event of a workload named before names were checked (an older svc's state, a fly.toml group).
  const event = {
    time: Date.now(),
    workloadId: id,
    workloadName: `web${HOSTILE}`,
    instance: 1,
    containerId: null,
    exitCode: 1,
    oomKilled: false,
    action: 'exit',
    reason: `exited${HOSTILE}`,
    source: 'supervisor',
  };
  fs.appendFileSync(path.join(home, 'events.jsonl'), `${JSON.stringify(event)}\n`);
  expectEscaped((await ok(['events'])).stdout);
  const listed = JSON.parse((await ok(['events', '--json'])).stdout) as { reason: string }[];
  expect(listed.at(-1)?.reason).toBe(`exited${HOSTILE}`);
});

it("m status: the machine's command escaped, the config of -d too", async () => {
  const id = (await ok(['m', 'run', '-n', uniqueName('esc'), TEST_IMAGE, ...COMMAND])).stdout.trim();
  workloads.push(id);
  expectEscaped((await ok(['m', 'status', id])).stdout);
  expect((await ok(['m', 'status', '-d', id])).stdout).not.toMatch(RAW_CONTROL);
});

it('events -f: each line as it comes, escaped', async () => {
  const id = (await ok(['service', 'create', '-n', uniqueName('esc'), TEST_IMAGE])).stdout.trim();
  workloads.push(id);
  const event = {
    time: Date.now(),
    workloadId: id,
    workloadName: 'web',
    instance: 1,
    containerId: null,
    exitCode: 1,
    oomKilled: false,
    action: 'exit',
    reason: `exited${HOSTILE}`,
    source: 'supervisor',
  };
  fs.appendFileSync(path.join(home, 'events.jsonl'), `${JSON.stringify(event)}\n`);
  const follow = execa(SVC_BIN, ['events', '-f'], {
    reject: false,
    stdin: 'ignore',
    env: { SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
  });
  let printed = '';
  follow.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  try {
    await waitFor('events -f to print the event', async () => printed.includes('exited'));
  } finally {
    follow.kill('SIGTERM');
    await follow;
  }
  expectEscaped(printed);
});

it('a failure among several identifiers: its message escaped on stderr', async () => {
  const result = await svc(['service', 'stop', `web${HOSTILE}`, 'other'], { home });
  expect(result.exitCode).toBe(3);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
  expect(result.stderr).toContain('\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07\\r');
});

it('an error message quoting a value: escaped on stderr', async () => {
  const result = await svc(['service', 'create', '-n', `web${HOSTILE}`, TEST_IMAGE], { home });
  expect(result.exitCode).toBe(2);
  // A message keeps its line feeds (svc's own lines: a hint, fly.toml's problems); every other control is shown.
  expect(result.stderr).not.toMatch(RAW_CONTROL);
  expect(result.stderr).toContain('\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07\\r\nforged\\x9b31m\\u202e');
});
