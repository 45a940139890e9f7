/**
 * End to end: SIGINT and SIGTERM end a command promptly, with the status a shell gives them
 * (130, 143), and leave no state lock behind, whatever the command was doing at the time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { containersWithWorkloadLabel, svc, SVC_BIN, TEST_IMAGE, UUID4 } from '../helpers/svc.js';
import { useMadeThings } from '../helpers/fixtures.js';
import { sleep, waitFor } from '../helpers/wait.js';

const LONG_RUNNING = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];
const STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
/** Long enough for a loaded CI host; a command that ignores the signal runs for minutes. */
const PROMPTLY_MS = 5_000;
/** signals.ts's WIND_UP_MS and a margin; see cli-run-interrupted.test.ts for what is left after. */
const RUN_WIND_UP_MS = 20_000;

const made = useMadeThings();
const newHome = made.home;
const newName = () => made.name('cli');

const started = (args: string[], home: string) =>
  execa(SVC_BIN, args, {
    reject: false,
    stdin: 'ignore',
    env: { SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
  });

/**
 * Sends `signal` and returns the status a shell would report (128 + the signal's number for a process
 * the signal killed, as for one that exited with that status), and how long the process took to end.
 */
const interrupt = async (child: ResultPromise, signal: keyof typeof STATUS) => {
  const sentAt = Date.now();
  child.kill(signal);
  const result = await child;
  const status =
    result.exitCode ?? (result.signal ? 128 + os.constants.signals[result.signal] : 'neither exited nor killed');
  return { status, tookMs: Date.now() - sentAt, result };
};

const expectNoLock = (home: string) => expect(fs.existsSync(path.join(home, 'state.lock'))).toBe(false);

const runService = async (home: string, name: string) => {
  const result = await svc(['service', 'run', '-n', name, TEST_IMAGE, ...LONG_RUNNING], { home });
  expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  expect(result.stdout).toMatch(UUID4);
  return result.stdout;
};

describe.each(['SIGINT', 'SIGTERM'] as const)('%s', (signal) => {
  it('ends `service scale NAME 40` mid-way', async () => {
    const home = newHome();
    const name = newName();
    const id = await runService(home, name);
    const scale = started(['service', 'scale', name, '40'], home);
    await waitFor('scale to create containers', async () => (await containersWithWorkloadLabel(id)).length >= 4);
    const { status, tookMs } = await interrupt(scale, signal);
    expect({ status, promptly: tookMs < PROMPTLY_MS }).toEqual({ status: STATUS[signal], promptly: true });
    expectNoLock(home);
  });

  it('ends `service run -t 40` mid-way', async () => {
    const home = newHome();
    const name = newName();
    const run = started(['service', 'run', '-t', '40', '-n', name, TEST_IMAGE, ...LONG_RUNNING], home);
    await waitFor('run to create containers', async () => (await cleanupCandidates(name)).length >= 4);
    const { status, tookMs } = await interrupt(run, signal);
    // A run winds up first (all or nothing: Docker finishes the creates under way, then they are removed).
    expect({ status, promptly: tookMs < RUN_WIND_UP_MS }).toEqual({ status: STATUS[signal], promptly: true });
    expectNoLock(home);
  });

  it('ends `service logs -f`, its docker logs processes with it', async () => {
    const home = newHome();
    const name = newName();
    await runService(home, name);
    const logs = started(['service', 'logs', '-f', name], home);
    let followedBy: number | undefined;
    await waitFor('logs -f to start docker logs', async () => (followedBy = await dockerLogsChildOf(logs.pid!)));
    const { status, tookMs } = await interrupt(logs, signal);
    expect({ status, promptly: tookMs < PROMPTLY_MS }).toEqual({ status: STATUS[signal], promptly: true });
    await waitFor('docker logs to end with svc', async () => !(await isRunning(followedBy!)), 2_000);
  });

  it('ends `events -f`', async () => {
    const home = newHome();
    await runService(home, newName());
    const events = started(['events', '-f'], home);
    let printed = '';
    events.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await waitFor('events -f to print the existing events', async () => printed.includes('start'));
    const { status, tookMs } = await interrupt(events, signal);
    expect({ status, promptly: tookMs < PROMPTLY_MS }).toEqual({ status: STATUS[signal], promptly: true });
  });

  it('ends a command waiting for a lock another process holds, and leaves that lock alone', async () => {
    const home = newHome();
    const lock = path.join(home, 'state.lock');
    fs.mkdirSync(lock); // as proper-lockfile takes it: a fresh directory is a live holder's
    const create = started(['service', 'create', '-n', newName(), TEST_IMAGE], home);
    await sleep(1_000); // waiting for the lock by now; a signal sent earlier must give the same result
    const { status, tookMs, result } = await interrupt(create, signal);
    expect({ status, promptly: tookMs < PROMPTLY_MS, stdout: result.stdout }).toEqual({
      status: STATUS[signal],
      promptly: true,
      stdout: '',
    });
    expect(fs.existsSync(lock)).toBe(true);
  });
});

/** Containers named `<name>-N`, found before svc has recorded them. */
const cleanupCandidates = async (name: string) => {
  const listed = await execa('docker', ['ps', '-aq', '--filter', `name=^/?${name}-[0-9]+$`], { reject: false });
  return listed.stdout.split('\n').filter(Boolean);
};

/** The pid of a `docker logs` process whose parent is `pid`, if there is one yet. */
const dockerLogsChildOf = async (pid: number): Promise<number | undefined> => {
  const ps = await execa('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { reject: false });
  const line = ps.stdout.split('\n').find((l) => /\bdocker logs\b/.test(l));
  return line === undefined ? undefined : Number(line.trim().split(/\s+/)[0]);
};

/** Running, not merely a zombie that init has yet to reap (svc, its parent, is gone). */
const isRunning = async (pid: number) => {
  const ps = await execa('ps', ['-o', 'stat=', '-p', String(pid)], { reject: false });
  return ps.stdout.trim() !== '' && !ps.stdout.trim().startsWith('Z');
};
