/**
 * The docker CLI as a child process, on node's own child_process: execa (before) threw a TypeError
 * when a spawn failed with EMFILE and left the child's 'error' event to nobody, which ended the
 * process. Here an 'error' listener is on every child before anything can emit, and each failure
 * to run docker is named by its cause:
 *
 * - a call that outlives its deadline is ended (SIGTERM, then SIGKILL after a grace: the CLI may
 *   ignore SIGTERM while it connects) and fails with DockerTimeoutError;
 * - no docker on PATH is "engine unreachable" (exit 4: nothing was asked of Docker);
 * - E2BIG is a failed command, EMFILE/ENFILE/EAGAIN/ENOMEM a local shortage (exit 1, by name).
 *
 * A stream (`events`, `logs -f`) has no deadline, but ends when stopped, as every child still
 * running does when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DockerSpawnError, DockerTimeoutError, UserError } from '../errors.js';
import { commandName, DOCKER_OUTPUT_LIMIT_BYTES } from './docker-words.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  /** The child is ended, and the call fails with DockerTimeoutError, once it has run this long. */
  deadlineMs: number;
}

/** Time a child has to go after SIGTERM before it gets SIGKILL. */
export const KILL_GRACE_MS = 1_000;

/** Children still running; those left when this process exits go with it (execa's `cleanup` did this). */
const live = new Set<ChildProcess>();
let exitHookSet = false;
const endWithProcess = (child: ChildProcess) => {
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', () => {
      for (const running of live) running.kill('SIGKILL');
    });
  }
  live.add(child);
};

const withoutFinalNewline = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text);

/** SIGTERM now, SIGKILL if it is still there after the grace. */
const endChild = (child: ChildProcess) => {
  child.kill('SIGTERM');
  const force = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, KILL_GRACE_MS);
  force.unref();
  child.once('exit', () => clearTimeout(force));
};

interface Spawned {
  child: ChildProcess | null;
  /** Settles once: the exit code (null when killed by a signal), or the spawn failure. */
  ended: Promise<{ code: number | null; failure: UserError | null }>;
}

/** Starts docker; a spawn failure, thrown at once (E2BIG) or emitted later (EMFILE, ENOENT), becomes `failure`. */
const spawnDocker = (
  args: readonly string[],
  onOutput: (chunk: string, stream: 'stdout' | 'stderr') => void,
): Spawned => {
  let child: ChildProcess;
  try {
    // The environment as this module sees it, named: under jest's VM that is the test's copy, whose PATH may hold a fake docker.
    child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  } catch (error) {
    return {
      child: null,
      ended: Promise.resolve({ code: null, failure: new DockerSpawnError(commandName(args), error) }),
    };
  }
  endWithProcess(child);
  const ended = new Promise<{ code: number | null; failure: UserError | null }>((resolve) => {
    // 'close' waits for the output to be read to its end; 'error' alone comes when docker could not be run.
    child.on('error', (error) => resolve({ code: null, failure: new DockerSpawnError(commandName(args), error) }));
    child.on('close', (code) => resolve({ code, failure: null }));
    // Killed at a deadline: its output may be held open by nothing that matters; its exit is enough.
    child.on('exit', (code, signal) => signal !== null && resolve({ code, failure: null }));
  });
  void ended.then(() => live.delete(child));
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = child[name];
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => onOutput(chunk, name));
  }
  return { child, ended };
};

/** Runs a docker command to its end, or to its deadline. Throws only DockerTimeoutError and DockerSpawnError (UserErrors). */
/**
 * Runs one docker command. `options.deadlineMs` is the caller's deadline for it; a runner given
 * none uses its own default (the longest, a change's). Fakes in tests may ignore it.
 */
export type DockerRunner = (args: string[], options?: RunOptions) => Promise<RunResult>;

export const runDockerProcess = async (args: readonly string[], { deadlineMs }: RunOptions): Promise<RunResult> => {
  let stdout = '';
  let stderr = '';
  let tooMuch = false;
  const { child, ended } = spawnDocker(args, (chunk, stream) => {
    if (stream === 'stdout') stdout += chunk;
    else stderr += chunk;
    if (!tooMuch && stdout.length + stderr.length > DOCKER_OUTPUT_LIMIT_BYTES) {
      tooMuch = true;
      endChild(child!);
    }
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child) endChild(child);
  }, deadlineMs);
  const { code, failure } = await ended.finally(() => clearTimeout(timer));
  if (failure) throw failure;
  if (timedOut) throw new DockerTimeoutError(commandName(args), deadlineMs);
  if (tooMuch)
    throw new UserError(
      `${commandName(args)} printed more than ${DOCKER_OUTPUT_LIMIT_BYTES / 1024 / 1024} MB; svc ended it`,
    );
  return { stdout: withoutFinalNewline(stdout), stderr: withoutFinalNewline(stderr), exitCode: code ?? 1 };
};

export interface ProcessLineStream {
  done: Promise<{ exitCode: number; stderr: string }>;
  stop(): void;
}

/**
 * A long-lived docker command read line by line. A spawn failure ends it at once, with exit code 1
 * and the failure's words in `stderr`: the stream's owner (the supervisor reconnecting with
 * back-off, `logs` naming the container) decides what follows.
 */
export const streamDockerProcess = (
  args: readonly string[],
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
): ProcessLineStream => {
  let stderr = '';
  const rest = { stdout: '', stderr: '' };
  const { child, ended } = spawnDocker(args, (chunk, stream) => {
    const lines = (rest[stream] + chunk).split('\n');
    rest[stream] = lines.pop() ?? '';
    for (const line of lines) {
      if (stream === 'stderr') stderr += line + '\n';
      onLine(line, stream);
    }
  });
  const done = ended.then(({ code, failure }) => {
    if (rest.stderr) stderr += rest.stderr;
    for (const stream of ['stdout', 'stderr'] as const) if (rest[stream]) onLine(rest[stream], stream);
    if (failure) return { exitCode: 1, stderr: stderr + failure.message };
    return { exitCode: code ?? 1, stderr };
  });
  let stopped = false;
  const stop = () => {
    if (stopped || !child) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) endChild(child);
  };
  return { done, stop };
};
