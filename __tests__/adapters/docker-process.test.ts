/**
 * The docker CLI as a child process (docker-process.ts), on a fake `docker` put first on PATH: a
 * call is ended at its deadline even when docker ignores SIGTERM, streams end when stopped, and
 * each way docker can fail to start is named by its cause, never as an unhandled 'error' event.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { KILL_GRACE_MS, runDockerProcess, streamDockerProcess } from '../../src/adapters/docker-process.js';
import { DockerSpawnError, DockerTimeoutError, UserError } from '../../src/errors.js';
import { exitCodeFor } from '../../src/cli.js';
import { bundledModule, scratchDir } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { processAlive } from '../helpers/process.js';

const FAKE_DOCKER = `#!/bin/sh
echo $$ > "$FAKE_DOCKER_PIDFILE"
case "$1" in
  # Ignores SIGTERM, as the real CLI may while it connects; exec keeps one process, whose pid is $$.
  hang) trap '' TERM; exec sleep 60 ;;
  talk) printf 'out 1\\nout 2\\n'; printf 'err\\n' >&2; exit 3 ;;
esac
`;

let dir: string;
let pidFile: string;
const saved = { PATH: process.env.PATH, FAKE_DOCKER_PIDFILE: process.env.FAKE_DOCKER_PIDFILE };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(scratchDir(), 'svc-fake-docker-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'empty'));
  fs.writeFileSync(path.join(dir, 'bin', 'docker'), FAKE_DOCKER, { mode: 0o755 });
  pidFile = path.join(dir, 'pid');
  process.env.PATH = `${path.join(dir, 'bin')}:${saved.PATH}`;
  process.env.FAKE_DOCKER_PIDFILE = pidFile;
});

afterAll(() => {
  process.env.PATH = saved.PATH;
  if (saved.FAKE_DOCKER_PIDFILE === undefined) delete process.env.FAKE_DOCKER_PIDFILE;
  fs.rmSync(dir, { recursive: true, force: true });
});

const fakePid = () =>
  waitFor(
    'the fake docker to write its pid',
    async () => fs.existsSync(pidFile) && Number(fs.readFileSync(pidFile, 'utf8')),
    5_000,
  );

const rejectionOf = async (promise: Promise<unknown>): Promise<UserError> => {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
};

const withPath = async <T>(value: string, work: () => Promise<T>): Promise<T> => {
  const before = process.env.PATH;
  process.env.PATH = value;
  try {
    return await work();
  } finally {
    process.env.PATH = before;
  }
};

beforeEach(() => fs.rmSync(pidFile, { force: true }));

test("docker's output and exit code come back as it gave them, without the final newline", async () => {
  expect(await runDockerProcess(['talk'], { deadlineMs: 5_000 })).toEqual({
    stdout: 'out 1\nout 2',
    stderr: 'err',
    exitCode: 3,
  });
});

test('a call past its deadline is ended, though docker ignores SIGTERM, and fails naming the command and the deadline', async () => {
  const started = Date.now();
  const error = await rejectionOf(runDockerProcess(['hang', '--quiet', '--', 'user-value'], { deadlineMs: 300 }));
  expect(error).toBeInstanceOf(DockerTimeoutError);
  expect(error.message).toBe('Docker did not answer `docker hang` within 0.3 s; svc ended that docker process');
  expect(error.kind).toBe('timeout');
  expect(exitCodeFor(error, { write: () => true } as unknown as NodeJS.WritableStream)).toBe(1);
  expect(Date.now() - started).toBeLessThan(300 + KILL_GRACE_MS + 1_500);
  expect(processAlive(await fakePid())).toBe(false);
});

test('no docker on PATH: the engine cannot be reached (exit 4), and the message says the CLI is missing', async () => {
  const error = await withPath(path.join(dir, 'empty'), () =>
    rejectionOf(runDockerProcess(['version'], { deadlineMs: 5_000 })),
  );
  expect(error).toBeInstanceOf(DockerSpawnError);
  expect(error.kind).toBe('engine-unreachable');
  expect(error.message).toMatch(/the docker CLI is not installed/);
});

test('an argv longer than the system allows (E2BIG) is a failed command (exit 1), not an unreachable engine', async () => {
  const error = await rejectionOf(
    runDockerProcess(['create', `--name=${'x'.repeat(3_000_000)}`], { deadlineMs: 5_000 }),
  );
  expect(error.kind).toBe('failed');
  expect(error.message).toBe('Cannot run `docker create`: its arguments are longer than the system allows (E2BIG)');
});

test('a stream is ended by stop(), with SIGKILL when docker ignores SIGTERM', async () => {
  const lines: string[] = [];
  const stream = streamDockerProcess(['hang'], (line) => lines.push(line));
  const pid = await fakePid();
  const stopped = Date.now();
  stream.stop();
  const { exitCode } = await stream.done;
  expect(exitCode).not.toBe(0);
  expect(Date.now() - stopped).toBeLessThan(KILL_GRACE_MS + 1_500);
  expect(processAlive(pid)).toBe(false);
});

test('a stream docker cannot be started for ends at once with its cause, and no unhandled error', async () => {
  const stream = await withPath(path.join(dir, 'empty'), async () => streamDockerProcess(['events'], () => {}));
  expect(await stream.done).toEqual({ exitCode: 1, stderr: expect.stringMatching(/the docker CLI is not installed/) });
});

/**
 * Out of file descriptors (issue 20, case 1: a flood of idle connections did this to the server):
 * before, execa threw and the child's 'error' event, heard by no one, ended the process.
 */
test('out of file descriptors (EMFILE), a call and a stream fail by name, and the process lives on', async () => {
  const module = await bundledModule('__tests__/helpers/emfile-probe.ts');
  const result = await execa('sh', ['-c', 'ulimit -n 64 && exec "$0" "$1"', process.execPath, module], {
    reject: false,
  });
  expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
  const { call, stream } = JSON.parse(result.stdout) as {
    call: { kind: string; message: string };
    stream: { exitCode: number; stderr: string };
  };
  expect(call).toEqual({
    kind: 'failed',
    message: 'Cannot run `docker version`: too many open files in this process (EMFILE)',
  });
  expect(stream).toEqual({
    exitCode: 1,
    stderr: expect.stringContaining('too many open files in this process (EMFILE)'),
  });
});

test('docker processes still running when svc exits are ended with it: a call and a stream, though they ignore SIGTERM', async () => {
  const module = await bundledModule('__tests__/helpers/exit-probe.ts');
  const result = await execa(process.execPath, [module], {
    reject: false,
    env: { PATH: process.env.PATH, FAKE_DOCKER_PIDFILE: pidFile },
  });
  expect(result.exitCode).toBe(0);
  const pids = JSON.parse(result.stdout) as number[];
  expect(pids).toHaveLength(2);
  await waitFor('the docker processes to end', async () => pids.every((pid) => !processAlive(pid)), 3_000);
});
