/** `svc daemon run|start|stop|status` */
import type { Context } from '../context.js';
import { conflictError, usageError, UserError } from '../errors.js';
import { startDetachedSupervisor, stopSupervisor } from '../supervisor/control.js';
import { ensurePrivateDir } from '../adapters/private-files.js';
import { fdIsFile, rotateIfLarge, STDERR_FD } from '../supervisor/log-file.js';
import { createSupervisor } from '../supervisor/loop.js';
import {
  claimSupervisor,
  recordApiUrl,
  releaseSupervisor,
  runningSupervisor,
  supervisorFiles,
} from '../adapters/pidfile.js';
import { relativeTime } from '../render/time.js';
import { escapeControlsInLines } from '../render/escape.js';
import type { Flags } from './flags.js';
import { firstStopSignal } from '../signals.js';
import fs from 'node:fs';
import { createRestartTracer } from '../supervisor/trace.js';
import { checkListen, parseListen, withPublicUrl, type ListenAddress } from '../api/listen.js';
import { claimServer, describeServer, recordServerUrl, runningServer } from '../api/server-record.js';
import { startApiProcess, type ApiProcess } from '../supervisor/api-process.js';

/** SVC_SUPERVISOR_TRACE: each restart's timings, appended as they come (a stream: no synchronous write on the restart path). */
const traceTo = (file: string | null) => {
  if (file === null) return undefined;
  const out = fs.createWriteStream(file, { flags: 'a', mode: 0o600 });
  // A trace that cannot be written (full disk, gone directory) must not take the supervisor down.
  out.on('error', (error) => process.stderr.write(`svc: the restart trace stopped: ${error.message}\n`));
  return createRestartTracer((line) => void out.write(line));
};

export interface DaemonFlags {
  /** Serve the APIs on HOST:PORT from this process too. */
  listen?: string;
  allowRemote?: boolean;
  publicUrl?: string;
}

const listenAddress = (ctx: Context, flags: Flags<DaemonFlags>): ListenAddress | null => {
  if (flags.listen === undefined) {
    // Said, not dropped: without --listen there is no server for them to shape.
    if (flags.publicUrl !== undefined || flags.allowRemote)
      throw usageError('--public-url and --allow-remote need --listen HOST:PORT');
    return null;
  }
  return withPublicUrl(
    checkListen(parseListen(flags.listen), Boolean(flags.allowRemote), (m) => ctx.io.stderr.write(`${m}\n`)),
    flags.publicUrl,
  );
};

/**
 * The APIs, served by a child process (supervisor/api-process.ts): nothing a client does to the
 * server can take the supervisor's descriptors or end its process. This process holds the state
 * dir's server record, so no other server starts beside it.
 */
const serveApi = async (
  ctx: Context,
  flags: Flags<DaemonFlags>,
  address: ListenAddress,
  log: (message: string) => void,
  forward: (text: string) => void,
): Promise<ApiProcess> => {
  const dir = ctx.store.dir;
  const other = await claimServer(dir, 'daemon');
  if (other) {
    throw conflictError(
      `A server of ${dir} already runs: ${describeServer(other)}`,
      'Stop it first, or start the supervisor without --listen: `svc daemon start`.',
    );
  }
  const api = await startApiProcess({
    svcBinary: ctx.svcBinary,
    env: ctx.env,
    stateDir: dir,
    address,
    allowRemote: Boolean(flags.allowRemote),
    log,
    forward,
  });
  await recordServerUrl(dir, process.pid, api.url);
  return api;
};

/**
 * The detached supervisor's stderr is supervisor.log (see `daemon start`), which it rotates past
 * SVC_SUPERVISOR_LOG_MAX_BYTES (default 5 MiB). Under systemd stderr is the journal, which rotates itself.
 */
const logRotation = (ctx: Context): (() => void) => {
  const { logFile } = supervisorFiles(ctx.store.dir);
  if (!fdIsFile(STDERR_FD, logFile)) return () => {};
  return () => rotateIfLarge(logFile, STDERR_FD, ctx.settings.supervisorLogMaxBytes);
};

/** A bug's stack says where it is; a user-level failure (a state file that cannot be read) needs only its message. */
const describe = (error: unknown): string =>
  error instanceof UserError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);

/**
 * Foreground supervisor (for systemd, or `daemon start` to detach). Runs until SIGTERM or SIGINT.
 * A start that fails ends the process with exit 1 and the reason on stderr (the log), and the pid
 * file goes with it, so the next `daemon start` or autostart is not told one is already running.
 */
export const runDaemon = async (ctx: Context, flags: Flags<DaemonFlags>): Promise<void> => {
  const address = listenAddress(ctx, flags);
  const dir = ctx.store.dir;
  ensurePrivateDir(dir);
  // How `daemon status|stop` tell this dir's supervisor from one whose pid file was copied here (see adapters/pidfile.ts).
  process.chdir(dir);
  const rotate = logRotation(ctx);
  // Control characters of user data (a reason quoting a run_command) are shown escaped, as in every
  // human-readable output: `tail supervisor.log` must not be a way into the reader's terminal.
  const log = (message: string) => {
    ctx.io.stderr.write(`${new Date(ctx.clock.now()).toISOString()} ${escapeControlsInLines(message)}\n`);
    rotate();
  };
  /** The server child's own lines (already stamped), which count toward the log's size as much as the supervisor's. */
  const forward = (text: string) => {
    ctx.io.stderr.write(escapeControlsInLines(text));
    rotate();
  };
  const startFailed = (error: unknown) => {
    log(`start failed: ${describe(error)}`);
    return new UserError(
      `The supervisor for ${dir} did not start: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        hint: 'Fix what it names; `svc daemon start`, or the next command that sets a policy, starts it again.',
      },
    );
  };
  // A state this svc cannot read now (broken, deleted after use, from a newer svc) fails the start
  // before the pid file is taken, so `daemon start` never takes for running a supervisor that could only wait.
  try {
    ctx.store.read();
  } catch (error) {
    throw startFailed(error);
  }
  const other = await claimSupervisor(dir, process.pid, ctx.clock.now());
  if (other)
    throw new UserError(`A supervisor already runs for ${dir} (pid ${other.pid})`, {
      kind: 'conflict',
      hint: 'Stop it with `svc daemon stop` first.',
    });
  // However this process ends from here (a failed start, a crash, a signal), the pid file goes with it.
  const release = () => releaseSupervisor(dir, process.pid);
  process.once('exit', release);
  let supervisor: ReturnType<typeof createSupervisor> | null = null;
  let api: ApiProcess | null = null;
  const stopApi = async () => {
    await api?.stop();
    api = null;
  };
  const stopped = new Promise<void>((resolve) => {
    const shutdown = async (signal: string) => {
      log(`${signal}: stopping`);
      await stopApi();
      await supervisor?.stop();
      resolve();
    };
    void firstStopSignal().then(shutdown);
  });
  // The supervisor stops itself when it cannot go on (the state became a newer svc's); the process then ends with 1.
  let stoppedItself: (error: Error) => void = () => {};
  const cannotGoOn = new Promise<never>((_resolve, reject) => (stoppedItself = reject));
  cannotGoOn.catch(() => {}); // awaited below; this only keeps an early rejection from counting as unhandled
  try {
    if (address) {
      api = await serveApi(ctx, flags, address, log, forward);
      await recordApiUrl(dir, process.pid, api.url);
      log(`serving the APIs at ${api.url} (server pid ${api.pid()})`);
    }
    supervisor = createSupervisor(ctx, {
      tracer: traceTo(ctx.settings.supervisorTraceFile),
      reconcileEveryMs: ctx.settings.reconcileEveryMs,
      reconnectCapMs: 5_000,
      log,
      onFatal: (error) => stoppedItself(error),
    });
    log(`supervisor started (pid ${process.pid}, state ${dir})`);
    // Waits for Docker while it is unreachable; a signal meanwhile ends the wait (see shutdown).
    await supervisor.start();
  } catch (error) {
    await stopApi();
    await supervisor?.stop();
    release();
    // Another server of this dir: said as such (which one, where), not as a broken start.
    if (error instanceof UserError && error.kind === 'conflict') {
      log(`start failed: ${error.message}`);
      throw error;
    }
    throw startFailed(error);
  }
  try {
    await Promise.race([stopped, cannotGoOn]);
  } catch (error) {
    throw new UserError(`The supervisor for ${dir} stopped: ${(error as Error).message}`, { cause: error });
  } finally {
    await stopApi();
    release();
  }
};

export const startDaemon = async (ctx: Context, flags: Flags<DaemonFlags>) => {
  // Checked here too, so a bad or remote address is refused before anything starts.
  const address = listenAddress(ctx, flags);
  const serveArgs = address
    ? [
        '--listen',
        flags.listen!,
        ...(flags.allowRemote ? ['--allow-remote'] : []),
        ...(address.publicOrigin ? [`--public-url=${address.publicOrigin}`] : []),
      ]
    : [];
  const server = address ? runningServer(ctx.store.dir) : null;
  if (server?.kind === 'serve') {
    throw conflictError(
      `A server of ${ctx.store.dir} already runs: ${describeServer(server)}`,
      'Stop it first, or start the supervisor without --listen: `svc daemon start`.',
    );
  }
  const { record, started } = await startDetachedSupervisor(ctx, { serveArgs });
  ctx.io.stderr.write(
    started
      ? `svc supervisor started (pid ${record.pid}); log: ${supervisorFiles(ctx.store.dir).logFile}\n`
      : `svc supervisor already running (pid ${record.pid})${record.api ? `, serving ${record.api}` : ''}\n`,
  );
  if (address && !started && !record.api) {
    throw new UserError(`The running supervisor (pid ${record.pid}) does not serve the APIs`, {
      kind: 'conflict',
      hint: 'Stop it with `svc daemon stop`, then `svc daemon start --listen ...`; or run `svc serve` beside it.',
    });
  }
  if (started && record.api) {
    ctx.io.stdout.write(`${record.api}\n`);
    ctx.io.stderr.write(`Web page: ${record.api}/ (its sign-in link: svc serve --print-url)\n`);
  }
};

export const stopDaemon = async (ctx: Context) => {
  const record = await stopSupervisor(ctx);
  ctx.io.stderr.write(record ? `svc supervisor stopped (pid ${record.pid})\n` : 'svc supervisor was not running\n');
};

export const daemonStatus = (ctx: Context, json: boolean) => {
  const record = runningSupervisor(ctx.store.dir);
  // A `svc serve` beside a supervisor that does not serve: the one server of this dir.
  const server = runningServer(ctx.store.dir);
  const apiUrl = record?.api ?? server?.url ?? null;
  const { logFile } = supervisorFiles(ctx.store.dir);
  if (json) {
    const status = {
      running: record !== null,
      pid: record?.pid ?? null,
      started_at: record ? new Date(record.startedAt).toISOString() : null,
      api_url: apiUrl,
      state_dir: ctx.store.dir,
      log_file: logFile,
    };
    return void ctx.io.stdout.write(JSON.stringify(status, null, 2) + '\n');
  }
  ctx.io.stdout.write(
    record
      ? `running (pid ${record.pid}, started ${relativeTime(record.startedAt, ctx.clock.now())})\n` +
          `api:   ${record.api ? `serving ${record.api}` : server?.url ? `served by svc serve (pid ${server.pid}) at ${server.url}` : 'not serving (svc daemon start --listen HOST:PORT, or svc serve)'}\n` +
          `state: ${ctx.store.dir}\nlog:   ${logFile}\n`
      : `stopped\n${server?.url ? `api:   served by svc serve (pid ${server.pid}) at ${server.url}\n` : ''}state: ${ctx.store.dir}\nStart it with \`svc daemon start\`.\n`,
  );
};
