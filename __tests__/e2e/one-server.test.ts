/**
 * Issue 20, case 11: one server per state dir. `--print-url` and `daemon status` name the one that
 * serves; a second (`svc serve`, or `daemon start --listen`) is refused naming it, even when two
 * start at once; a record whose process is gone is taken over. And the supervisor's server is a
 * child process of its own, started again when it dies (case 1: serving cannot take supervising down).
 */
import fs from 'node:fs';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import { execa, type ResultPromise } from 'execa';
import { makeStateDir, removeStateDir, requireBuiltCli, requireDocker, svc, SVC_BIN } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { serve, shutDown, type Served } from './api-helpers.js';
import { ok, supervisorLog } from './supervisor-helpers.js';
import { processAlive } from '../helpers/process.js';

let home: string;
let served: Served | undefined;
const started: ResultPromise[] = [];
beforeAll(async () => {
  requireBuiltCli();
  await requireDocker();
});
beforeEach(() => {
  home = makeStateDir();
});
afterEach(async () => {
  // Each ends within 5 s, or is killed: none outlives its test.
  await Promise.all(
    started.splice(0).map(async (child) => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await child;
      clearTimeout(timer);
    }),
  );
  await shutDown(served, { keepHome: true });
  served = undefined;
  await svc(['daemon', 'stop'], { home });
  removeStateDir(home);
});

const serveJson = () => JSON.parse(fs.readFileSync(path.join(home, 'serve.json'), 'utf8'));
/** The server's URL from its sign-in link, which carries a one-time code (never the token). */
const printUrl = async () => {
  const link = ok(await svc(['serve', '--print-url'], { home }));
  expect(link).toMatch(/\/#code=[0-9a-f]+$/);
  return link.replace(/\/#code=.*$/, '');
};

test('two `svc serve` started at once on one state dir: exactly one serves, the other exits 1 naming it', async () => {
  const runs = [0, 1].map(() => {
    const child = execa(SVC_BIN, ['serve', '--listen', '127.0.0.1:0'], {
      reject: false,
      stdin: 'ignore',
      env: { SVC_HOME: home, NO_COLOR: '1', SVC_NO_AUTOSTART: '1' },
    });
    started.push(child);
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const run = { child, stdout: () => stdout, result: null as Awaited<typeof child> | null };
    void child.then((result) => (run.result = result));
    return run;
  });
  const refused = await waitFor('one of them to end', async () => runs.find((run) => run.result !== null), 10_000);
  const winner = runs.find((run) => run !== refused)!;
  const url = await waitFor('the other to serve', async () => /^(http:\/\/\S+)$/m.exec(winner.stdout())?.[1]);
  expect(refused.result!.exitCode).toBe(1);
  expect(refused.result!.stderr).toContain(
    `Error: A server of ${home} already runs: svc serve, pid ${winner.child.pid}`,
  );
  expect(refused.result!.stdout).toBe('');
  expect(serveJson()).toMatchObject({ pid: winner.child.pid, kind: 'serve', url });
  expect(await printUrl()).toBe(url);
});

test('`svc serve` beside `daemon start --listen` is refused naming the supervisor and its URL, and the reverse', async () => {
  const start = await svc(['daemon', 'start', '--listen', '127.0.0.1:0'], { home });
  expect(start.exitCode).toBe(0);
  const url = start.stdout.trim();
  const supervisor = JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home })));
  expect(supervisor.api_url).toBe(url);

  const second = await svc(['serve', '--listen', '127.0.0.1:0'], { home });
  expect(second.exitCode).toBe(1);
  expect(second.stderr).toContain(
    `A server of ${home} already runs: the supervisor (svc daemon start --listen), pid ${supervisor.pid}, at ${url}`,
  );
  expect(await printUrl()).toBe(url);

  ok(await svc(['daemon', 'stop'], { home }));
  served = await serve({ home });
  const daemon = await svc(['daemon', 'start', '--listen', '127.0.0.1:0'], { home });
  expect(daemon.exitCode).toBe(1);
  expect(daemon.stderr).toContain(
    `A server of ${home} already runs: svc serve, pid ${served.process.pid}, at ${served.url}`,
  );
  expect(JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home })))).toMatchObject({
    running: false,
    api_url: served.url,
  });
  expect(await printUrl()).toBe(served.url);
  // A supervisor that does not serve may run beside it: `daemon status` names the server.
  ok(await svc(['daemon', 'start'], { home }));
  expect(ok(await svc(['daemon', 'status'], { home }))).toContain(
    `api:   served by svc serve (pid ${served.process.pid}) at ${served.url}`,
  );
});

test('a record whose process is gone, or whose pid now names another process, is taken over', async () => {
  const gone = execa('true');
  await gone;
  const dir = fs.realpathSync(home);
  for (const record of [
    { pid: gone.pid, kind: 'serve', url: 'http://127.0.0.1:1', startTicks: null, dir },
    // A live pid, but started at another time than the record says: a recycled pid.
    { pid: process.pid, kind: 'daemon', url: 'http://127.0.0.1:1', startTicks: 1, dir },
  ]) {
    fs.writeFileSync(path.join(home, 'serve.json'), JSON.stringify(record));
    served = await serve({ home });
    expect(serveJson()).toMatchObject({ pid: served.process.pid, url: served.url });
    expect(await printUrl()).toBe(served.url);
    await shutDown(served, { keepHome: true });
    served = undefined;
    expect(fs.existsSync(path.join(home, 'serve.json'))).toBe(false);
  }
});

test("the supervisor's server is a child process: killed or stopped, it is started again at the same URL, and `daemon stop` ends it", async () => {
  const start = await svc(['daemon', 'start', '--listen', '127.0.0.1:0'], { home });
  expect(start.exitCode).toBe(0);
  const url = start.stdout.trim();
  const supervisorPid = JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home }))).pid as number;
  const serverPid = Number(/serving the APIs at \S+ \(server pid (\d+)\)/.exec(supervisorLog(home))?.[1]);
  expect(serverPid).not.toBe(supervisorPid);
  expect(fs.readFileSync(`/proc/${serverPid}/cmdline`, 'utf8').split('\0')).toContain('serve');

  process.kill(serverPid, 'SIGKILL');
  const again = await waitFor(
    'the server to be started again',
    async () => /serves again at \S+ \(pid (\d+)/.exec(supervisorLog(home))?.[1],
  );
  expect((await fetch(`${url}/api/svc/v1/health`)).status).toBe(200);
  expect(supervisorLog(home)).toMatch(new RegExp(`the API server \\(pid ${serverPid}\\) was killed by SIGKILL`));
  expect(JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home })))).toMatchObject({
    running: true,
    pid: supervisorPid,
    api_url: url,
  });

  // A SIGTERM stops it cleanly (exit 0), and it is started again too: it does not linger on the supervisor's pipe.
  process.kill(Number(again), 'SIGTERM');
  const third = await waitFor(
    'the server to be started once more',
    async () => [...supervisorLog(home).matchAll(/serves again at \S+ \(pid (\d+)/g)][1]?.[1],
  );
  expect(supervisorLog(home)).toMatch(new RegExp(`the API server \\(pid ${again}\\) exited with code 0`));
  expect((await fetch(`${url}/api/svc/v1/health`)).status).toBe(200);

  // Started by hand, the supervisor's kind of server is refused: its parent holds no record.
  const impostor = await execa(SVC_BIN, ['serve', '--listen', '127.0.0.1:0'], {
    reject: false,
    stdin: 'ignore',
    env: { SVC_HOME: home, SVC_SERVE_FOR_SUPERVISOR: '1' },
  });
  expect(impostor.exitCode).toBe(1);
  expect(impostor.stderr).toMatch(/is for the server the supervisor starts/);

  ok(await svc(['daemon', 'stop'], { home }));
  await waitFor('the server to end with the supervisor', async () => !processAlive(Number(third)), 5_000);
  expect(fs.existsSync(path.join(home, 'serve.json'))).toBe(false);
});

test('a port still held a moment (by the server of a supervisor that was killed) is waited for, not a failed start', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  const release = setTimeout(() => holder.close(), 1_500);
  try {
    const start = await svc(['daemon', 'start', '--listen', `127.0.0.1:${port}`], { home });
    expect({ exitCode: start.exitCode, url: start.stdout.trim() }).toEqual({
      exitCode: 0,
      url: `http://127.0.0.1:${port}`,
    });
    expect((await fetch(`http://127.0.0.1:${port}/api/svc/v1/health`)).status).toBe(200);
  } finally {
    clearTimeout(release);
    holder.close();
  }
});
