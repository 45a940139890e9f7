/**
 * Issue 20, case 1: idle TCP connections that never finish a request, under systemd's default
 * `ulimit -n 1024`. They used to take every descriptor, so that the next `spawn docker` failed with
 * EMFILE as an unhandled 'error' and the process died: `svc serve` after one health request, the
 * supervisor (`daemon start --listen`) with its crash-looping ALWAYS service left down. The flood
 * comes from this process, to 127.0.0.1 only, and ends within 15 s.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import {
  cleanupContainers,
  makeStateDir,
  removeStateDir,
  requireBuiltCli,
  requireDocker,
  svc,
  SVC_BIN,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { ok, supervisorLog } from './supervisor-helpers.js';
import { processAlive } from '../helpers/process.js';

const FD_LIMIT = 1024;

/** `svc ARGS` with its open-file limit lowered first; the binary's path is bash's $0, never a shell word. */
const svcWithFdLimit = (args: string[], home: string, { buffer = true } = {}) =>
  execa('bash', ['-c', `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`, SVC_BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    buffer,
    env: { SVC_HOME: home, NO_COLOR: '1', SVC_NO_AUTOSTART: '1' },
  });

interface Flood {
  /** How many connected (the server accepted them, or the kernel queued them). */
  connected(): number;
  /** How many are still open (not closed by the server, which holds only so many). */
  open(): number;
  end(): void;
}

/** `count` connections that each send half a request line and then nothing. */
const flood = async (port: number, count: number): Promise<Flood> => {
  const sockets: net.Socket[] = [];
  let connected = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            connected += 1;
            socket.write('GET /api/svc/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
            resolve();
          });
          socket.on('error', () => resolve());
          socket.on('close', () => resolve());
          sockets.push(socket);
        }),
    ),
  );
  return {
    connected: () => connected,
    open: () => sockets.filter((socket) => !socket.closed).length,
    end: () => sockets.forEach((socket) => socket.destroy()),
  };
};

const health = async (url: string): Promise<number | string> => {
  try {
    return (await fetch(`${url}/api/svc/v1/health`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch (error) {
    return (error as Error).name;
  }
};

const openFds = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length;

let home: string;
let made: string[] = [];
let floods: Flood[] = [];
beforeAll(async () => {
  requireBuiltCli();
  await requireDocker();
});
beforeEach(() => {
  home = makeStateDir();
});
afterEach(async () => {
  floods.forEach((f) => f.end());
  floods = [];
  await svc(['daemon', 'stop'], { home });
  await cleanupContainers(made);
  made = [];
  removeStateDir(home);
});

test('`svc serve` under ulimit -n 1024 outlives connections that take all but a few descriptors, and a health request then', async () => {
  const server = svcWithFdLimit(['serve', '--listen', '127.0.0.1:0'], home, { buffer: false });
  let stdout = '';
  let stderr = '';
  server.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  server.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    const url = await waitFor('svc serve to print its URL', async () => /^(http:\/\/\S+)$/m.exec(stdout)?.[1]);
    const pid = server.pid!;
    // Exactly enough to leave the health request's connection one descriptor, and its docker child none.
    const before = openFds(pid);
    const flooded = await flood(Number(new URL(url).port), FD_LIMIT - before - 3);
    floods.push(flooded);
    // Settled: every connection still open has its descriptor in the server (the rest it closed).
    await waitFor('the server to take the flood', async () => openFds(pid) - before >= flooded.open(), 5_000);
    await health(url);
    await sleep(1_000);
    expect(processAlive(pid)).toBe(true);
    expect(stderr).not.toMatch(/Unhandled 'error' event|EMFILE/);
    floods.pop()!.end();
    // Once the flood is gone (or timed out), the server answers.
    await waitFor('the server to answer again', async () => (await health(url)) === 200, 15_000);
    expect(processAlive(pid)).toBe(true);
  } finally {
    server.kill('SIGTERM');
    await server;
  }
});

test('`daemon start --listen` under ulimit -n 1024: 1,100 idle connections for 15 s, and a crashing ALWAYS service is restarted throughout', async () => {
  const start = await svcWithFdLimit(['daemon', 'start', '--listen', '127.0.0.1:0'], home);
  const url = /^(http:\/\/\S+)$/m.exec(String(start.stdout))?.[1];
  expect(url).toBeDefined();
  const supervisorPid = JSON.parse(fs.readFileSync(path.join(home, 'supervisor.pid'), 'utf8')).pid as number;
  const id = ok(
    await svc(
      [
        'service',
        'run',
        '--autorestart',
        'ALWAYS',
        '--name',
        uniqueName('flood'),
        TEST_IMAGE,
        'sh',
        '-c',
        'sleep 1; exit 1',
      ],
      { home },
    ),
  );
  made.push(id);
  const restartTimes = async () =>
    (
      JSON.parse(ok(await svc(['events', id, '--json'], { home }))) as {
        action: string;
        source: string;
        time: string;
      }[]
    )
      .filter((e) => e.source === 'supervisor' && e.action === 'restart')
      .map((e) => Date.parse(e.time));
  await waitFor('the first restart', async () => (await restartTimes()).length > 0);

  const floodStart = Date.now();
  floods.push(await flood(Number(new URL(url!).port), 1_100));
  await sleep(15_000 - (Date.now() - floodStart));
  const floodEnd = Date.now();
  expect(processAlive(supervisorPid)).toBe(true);
  floods.pop()!.end();

  const during = (await restartTimes()).filter((time) => time >= floodStart && time <= floodEnd);
  const half = floodStart + (floodEnd - floodStart) / 2;
  // Back-off doubles from 100 ms after each 1 s run: 5 or so restarts in 15 s (3 on a slow host), in both halves.
  expect(during.length).toBeGreaterThanOrEqual(3);
  expect(during.filter((time) => time < half).length).toBeGreaterThan(0);
  expect(during.filter((time) => time >= half).length).toBeGreaterThan(0);

  const log = supervisorLog(home);
  // The flood did reach the server, which turned away what it could not hold, and said so once.
  expect(log.match(/turning connections away/g)).toHaveLength(1);
  expect(log).not.toMatch(/EMFILE|Unhandled 'error' event|cannot be read/);
  expect(JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home })))).toMatchObject({
    running: true,
    pid: supervisorPid,
    api_url: url,
  });
  await waitFor('the API to answer again', async () => (await health(url!)) === 200, 15_000);
});
