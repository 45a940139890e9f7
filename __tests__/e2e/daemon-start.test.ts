/**
 * A supervisor whose start fails exits at once, non-zero, with the reason on stderr (its log when
 * detached), and takes its pid file with it, so the next `svc daemon start` is not told one runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { makeStateDir, removeStateDir, requireDocker, svc, SVC_BIN } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

let home: string;
let pidFile: string;
let stateFile: string;
beforeAll(requireDocker);
beforeEach(() => {
  home = makeStateDir();
  pidFile = path.join(home, 'supervisor.pid');
  stateFile = path.join(home, 'state.json');
});
afterEach(async () => {
  await svc(['daemon', 'stop'], { home });
  removeStateDir(home);
});

/** `svc daemon run` in the foreground, as systemd runs it; killed if it outlives 20 s. */
const daemonRun = (env: Record<string, string> = {}) =>
  execa(SVC_BIN, ['daemon', 'run'], {
    reject: false,
    stdin: 'ignore',
    env: { ...env, SVC_HOME: home, NO_COLOR: '1' },
    timeout: 20_000,
  });

/** `svc daemon run` with its stderr (its log) on `fd`; resolves to its exit code, or the signal that ended it. */
const daemonRunWithStderr = (fd: number) =>
  new Promise<number | string>((resolve, reject) => {
    const child = spawn(SVC_BIN, ['daemon', 'run'], {
      stdio: ['ignore', 'ignore', fd],
      env: { ...process.env, SVC_HOME: home, NO_COLOR: '1' },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? 'unknown');
    });
  });

const BROKEN_STATES: [string, string, RegExp][] = [
  ['a state file that is not a state', '[]', /not an svc state document/],
  [
    'a state file from a newer svc',
    JSON.stringify({ schemaVersion: 999, workloads: {} }),
    /schema version 999 was written by a newer svc/,
  ],
  ['an empty state file', '', /it is empty/],
];

test.each(BROKEN_STATES)(
  '`daemon run` on %s exits 1 at once, naming the file and why, and leaves no pid file',
  async (_case, text, why) => {
    fs.writeFileSync(stateFile, text);
    const started = Date.now();
    const run = await daemonRun();
    expect(run.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(stateFile);
    expect(run.stderr).toMatch(why);
    expect(run.stderr).toMatch(/did not start/);
    expect(run.stderr).not.toMatch(/Internal error|\n\s+at /);
    expect(fs.existsSync(pidFile)).toBe(false);
    // The broken file is the user's to fix: the failed start left it as it was.
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(text);
  },
);

test('`daemon start` on a broken state fails pointing at the log, which says why; once it is fixed, the next start works', async () => {
  fs.writeFileSync(stateFile, '[]');
  const start = await svc(['daemon', 'start'], { home });
  expect(start.exitCode).toBe(1);
  const logFile = path.join(home, 'supervisor.log');
  expect(start.stderr).toContain(logFile);
  const log = fs.readFileSync(logFile, 'utf8');
  expect(log).toMatch(/start failed: .*state\.json.*not an svc state document/);
  expect(log).toMatch(/did not start/);
  expect(fs.existsSync(pidFile)).toBe(false);
  expect(JSON.parse((await svc(['daemon', 'status', '--json'], { home })).stdout)).toMatchObject({ running: false });

  fs.rmSync(stateFile);
  const again = await svc(['daemon', 'start'], { home });
  expect(again.exitCode).toBe(0);
  expect(again.stderr).toMatch(/svc supervisor started \(pid \d+\)/);
  const status = JSON.parse((await svc(['daemon', 'status', '--json'], { home })).stdout);
  expect(status).toMatchObject({ running: true, pid: expect.any(Number) });
  expect(JSON.parse(fs.readFileSync(pidFile, 'utf8')).pid).toBe(status.pid);
});

test('a supervisor that cannot write its log ends non-zero and frees its pid file', async () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    const ended = await daemonRunWithStderr(full);
    expect(ended).toEqual(expect.any(Number));
    expect(ended).not.toBe(0);
  } finally {
    fs.closeSync(full);
  }
  expect(fs.existsSync(pidFile)).toBe(false);
});

test('SIGTERM while the start still waits for an unreachable Docker ends the supervisor and frees its pid file', async () => {
  const run = daemonRun({ DOCKER_HOST: `unix://${path.join(home, 'no-docker.sock')}` });
  let stderr = '';
  run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(
    'the supervisor to wait for Docker',
    async () => /Docker unreachable/.test(stderr) && fs.existsSync(pidFile),
  );
  run.kill('SIGTERM');
  const result = await run;
  expect(result.timedOut).toBe(false);
  expect(result.exitCode).toBe(0);
  expect(stderr).toMatch(/SIGTERM: stopping/);
  expect(fs.existsSync(pidFile)).toBe(false);
});

test('a running supervisor that finds the state rewritten by a newer svc stops, exits 1 and frees its pid file', async () => {
  expect((await svc(['service', 'create', '--name', 'upgraded', 'svc-busybox:latest'], { home })).exitCode).toBe(0);
  const run = daemonRun({ SVC_RECONCILE_MS: '500' });
  await waitFor('the supervisor took its pid file', async () => fs.existsSync(pidFile), 10_000);
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { schemaVersion: number };
  fs.writeFileSync(stateFile, JSON.stringify({ ...state, schemaVersion: 999 }));
  const ended = await run;
  expect(ended.timedOut).toBe(false);
  expect(ended.exitCode).toBe(1);
  expect(ended.stderr).toMatch(
    /schema version 999 was written by a newer svc; stopping, so that the newer svc's supervisor can take over/,
  );
  expect(ended.stderr).toMatch(/Error: The supervisor for .* stopped: /);
  expect(fs.existsSync(pidFile)).toBe(false);
});
