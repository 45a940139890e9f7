/**
 * A Docker engine in memory, behind the real adapter's injected runner and streamer: it keeps
 * containers, answers the docker subcommands the adapter builds (recording every argv), and streams
 * the die events a real engine would. Time is the test's fake clock, so exits, back-off and
 * budgets are driven by the test instead of by sleeps.
 */
import type { DockerRunner, LineStreamer, RunResult } from '../../src/adapters/docker.js';
import { DockerSpawnError } from '../../src/errors.js';

export interface FakeContainer {
  id: string;
  name: string;
  image: string;
  command: string[];
  labels: Record<string, string>;
  state: 'created' | 'running' | 'exited';
  exitCode: number;
  oomKilled: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  /** What the process exits with on `docker stop` (SIGTERM). */
  stopExitCode: number;
  /** State.Error: why Docker could not start it ('' when none). */
  error: string;
}

/** A command that is not in the image: Docker refuses to start its container, as a real engine does. */
export const MISSING_BINARY = '/nonexistent';
const missingBinaryError = `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${MISSING_BINARY}": stat ${MISSING_BINARY}: no such file or directory: unknown`;

type OnLine = (line: string, stream: 'stdout' | 'stderr') => void;

const ZERO_TIME = '0001-01-01T00:00:00Z';
const ok = (stdout = ''): RunResult => ({ stdout, stderr: '', exitCode: 0 });
const failed = (stderr: string): RunResult => ({ stdout: '', stderr, exitCode: 1 });

/** The value of each `--flag=value` argument before `--`, and the words after it. */
const splitArgs = (args: readonly string[]) => {
  const end = args.indexOf('--');
  const options = end === -1 ? args : args.slice(0, end);
  const rest = end === -1 ? [] : args.slice(end + 1);
  const values = (flag: string) =>
    options.filter((a) => a.startsWith(`--${flag}=`)).map((a) => a.slice(flag.length + 3));
  return { values, rest };
};

export const createFakeDocker = (now: () => number) => {
  const containers = new Map<string, FakeContainer>();
  /** Every argv the runner was given, in order. */
  const calls: string[][] = [];
  /** Every argv the streamer was given (`events`, `logs`). */
  const streamed: string[][] = [];
  let listener: OnLine | null = null;
  let endStream: ((result: { exitCode: number; stderr: string }) => void) | null = null;
  let nextId = 1;
  let unreachable = false;
  /** An errno code (EMFILE) with which docker processes fail to start (of these subcommands only, or all), or null. */
  let spawnFailure: { code: string; only: string[] | null } | null = null;

  const emit = (container: FakeContainer, action: string, extra: Record<string, string> = {}) => {
    const ms = now();
    const event = {
      status: action,
      id: container.id,
      from: container.image,
      Type: 'container',
      Action: action,
      Actor: {
        ID: container.id,
        Attributes: { ...container.labels, image: container.image, name: container.name, ...extra },
      },
      scope: 'local',
      time: Math.floor(ms / 1000),
      timeNano: ms * 1e6,
    };
    listener?.(JSON.stringify(event), 'stdout');
  };

  const exit = (container: FakeContainer, exitCode: number, oomKilled = false) => {
    container.state = 'exited';
    container.exitCode = exitCode;
    container.oomKilled = oomKilled;
    container.finishedAt = now();
    if (oomKilled) emit(container, 'oom');
    emit(container, 'die', { exitCode: String(exitCode) });
  };

  const status = (c: FakeContainer) =>
    c.state === 'running' ? 'Up 2 seconds' : c.state === 'created' ? 'Created' : `Exited (${c.exitCode}) 1 second ago`;
  const iso = (ms: number | null) => (ms === null ? ZERO_TIME : new Date(ms).toISOString());

  const psRow = (c: FakeContainer) =>
    JSON.stringify({
      ID: c.id,
      Names: c.name,
      Image: c.image,
      Command: JSON.stringify(c.command.join(' ')),
      State: c.state,
      Status: status(c),
      CreatedAt: '2026-01-01 00:00:00 +0000 UTC',
      Labels: Object.entries(c.labels)
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
    });

  const inspectDoc = (c: FakeContainer) => ({
    Id: c.id,
    Name: `/${c.name}`,
    Config: { Labels: c.labels },
    State: {
      Status: c.state,
      Running: c.state === 'running',
      ExitCode: c.exitCode,
      OOMKilled: c.oomKilled,
      StartedAt: iso(c.startedAt),
      FinishedAt: iso(c.finishedAt),
      Error: c.error,
    },
  });

  const add = (options: {
    name: string;
    image: string;
    command: string[];
    labels: Record<string, string>;
  }): FakeContainer => {
    const container: FakeContainer = {
      // Zero-padded hex, as Docker's ids are hex: padding with 'c' made container 1 and 0xc1 the same id.
      id: `c${(nextId++).toString(16).padStart(63, '0')}`,
      ...options,
      state: 'created',
      exitCode: 0,
      oomKilled: false,
      startedAt: null,
      finishedAt: null,
      stopExitCode: 0,
      error: '',
    };
    containers.set(container.id, container);
    return container;
  };

  const eachId = (ids: readonly string[], act: (c: FakeContainer) => void): RunResult => {
    const missing = ids.filter((id) => !containers.has(id));
    ids.forEach((id) => containers.has(id) && act(containers.get(id)!));
    return missing.length === 0
      ? ok()
      : failed(missing.map((id) => `Error response from daemon: No such container: ${id}`).join('\n'));
  };

  const run: DockerRunner = async (args) => {
    calls.push(args);
    if (spawnFailure !== null && (spawnFailure.only === null || spawnFailure.only.includes(args[0]))) {
      throw new DockerSpawnError(
        `docker ${args[0]}`,
        Object.assign(new Error(`spawn docker ${spawnFailure.code}`), { code: spawnFailure.code }),
      );
    }
    if (unreachable)
      return failed(
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      );
    const { values, rest } = splitArgs(args);
    switch (args[0]) {
      case 'version':
        return ok('27.0.0\n');
      case 'ps':
        return ok([...containers.values()].map(psRow).join('\n'));
      case 'inspect':
        return ok(JSON.stringify(rest.filter((id) => containers.has(id)).map((id) => inspectDoc(containers.get(id)!))));
      case 'create': {
        const [name] = values('name');
        if ([...containers.values()].some((c) => c.name === name)) {
          return failed(`Error response from daemon: Conflict. The container name "/${name}" is already in use`);
        }
        const labels = Object.fromEntries(
          values('label').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        return ok(`${add({ name, image: rest[0], command: rest.slice(1), labels }).id}\n`);
      }
      case 'start': {
        // As Docker: a container whose command is missing stays `created`, with exit code 127 and
        // the reason in its state, no event is sent, and the start goes on to the other containers.
        const refused: string[] = [];
        const result = eachId(rest, (c) => {
          if (c.state === 'running') return;
          if (c.command[0] === MISSING_BINARY) {
            c.exitCode = 127;
            c.error = missingBinaryError;
            refused.push(`Error response from daemon: ${missingBinaryError}`);
            return;
          }
          c.state = 'running';
          c.error = '';
          c.startedAt = now();
          emit(c, 'start');
        });
        if (refused.length === 0) return result;
        return failed(
          [result.stderr, ...refused, `Error: failed to start containers: ${rest.join(', ')}`]
            .filter(Boolean)
            .join('\n'),
        );
      }
      case 'stop':
        return eachId(rest, (c) => c.state === 'running' && exit(c, c.stopExitCode));
      case 'rm':
        return eachId(rest, (c) => {
          if (c.state === 'running') exit(c, 137);
          containers.delete(c.id);
          emit(c, 'destroy');
        });
      default:
        return failed(`the fake docker does not know \`docker ${args.join(' ')}\``);
    }
  };

  const stream: LineStreamer = (args, onLine) => {
    streamed.push(args);
    if (args[0] !== 'events') throw new Error(`the fake docker streams only events, not \`docker ${args.join(' ')}\``);
    listener = onLine;
    const done = new Promise<{ exitCode: number; stderr: string }>((resolve) => (endStream = resolve));
    return {
      done,
      stop: () => {
        listener = null;
        endStream?.({ exitCode: 0, stderr: '' });
      },
    };
  };

  return {
    run,
    stream,
    calls,
    streamed,
    containers,
    /** A container created and started, as `svc` would have left it. */
    running(options: {
      name: string;
      labels: Record<string, string>;
      image?: string;
      command?: string[];
    }): FakeContainer {
      const container = add({ image: 'svc-busybox:latest', command: [], ...options });
      container.state = 'running';
      container.startedAt = now();
      return container;
    },
    /** The container's process ends by itself (a crash, or a clean exit), and Docker says so. */
    exit(id: string, exitCode: number, { oomKilled = false } = {}) {
      const container = containers.get(id);
      if (!container || container.state !== 'running') throw new Error(`container ${id} is not running`);
      exit(container, exitCode, oomKilled);
    },
    /** The `docker events` process ends (the daemon went away, or the stream broke). */
    breakStream(stderr: string) {
      listener = null;
      endStream?.({ exitCode: 1, stderr });
    },
    /** Every docker command fails as with a daemon that is down, until set back. */
    setUnreachable(value: boolean) {
      unreachable = value;
    },
    /** This process cannot start docker (`EMFILE`: no descriptor left), for every subcommand or only these, until set back to null. */
    setSpawnFailure(code: string | null, only: string[] | null = null) {
      spawnFailure = code === null ? null : { code, only };
    },
    /** The argv of the calls of one subcommand. */
    callsOf: (subcommand: string) => calls.filter((args) => args[0] === subcommand),
  };
};

export type FakeDocker = ReturnType<typeof createFakeDocker>;
