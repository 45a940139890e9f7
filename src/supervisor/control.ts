/** Starting and stopping the detached supervisor (`svc daemon start|stop`, and the autostart). */
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import type { Context } from '../context.js';

/** What starting a detached supervisor needs: a command line's, not the engine's. */
export type LaunchContext = Pick<Context, 'store' | 'env' | 'svcBinary' | 'settings' | 'io'>;
import { UserError } from '../errors.js';
import { ensurePrivateDir } from '../adapters/private-files.js';
import { openSupervisorLog } from './log-file.js';
import { runningSupervisor, supervisorFiles, type SupervisorRecord } from '../adapters/pidfile.js';
import { sleep } from '../sleep.js';

const waitFor = async <T>(check: () => T | null, timeoutMs: number): Promise<T | null> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null || Date.now() > deadline) return value;
    await sleep(50);
  }
};

export interface DetachedOptions {
  /** `daemon run` arguments that make it serve the APIs (--listen ..., --allow-remote); it is then waited for until it serves. */
  serveArgs?: string[];
}

/** Starts `svc daemon run` detached, its output (crash output included) appended to the state dir's supervisor.log, which it rotates. */
export const startDetachedSupervisor = async (
  ctx: LaunchContext,
  options: DetachedOptions = {},
): Promise<{ record: SupervisorRecord; started: boolean }> => {
  const existing = runningSupervisor(ctx.store.dir);
  if (existing) return { record: existing, started: false };
  const serveArgs = options.serveArgs ?? [];
  ensurePrivateDir(ctx.store.dir);
  const { logFile } = supervisorFiles(ctx.store.dir);
  const log = openSupervisorLog(logFile);
  const child = spawn(process.execPath, [ctx.svcBinary, 'daemon', 'run', ...serveArgs], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...ctx.env, SVC_HOME: ctx.store.dir },
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  fs.closeSync(log);
  // Another start may win the race; whichever supervisor holds the pid file is the one. A child that
  // exits without one failed its start: said at once rather than after the whole wait.
  const ready = (record: SupervisorRecord | null) =>
    record && (serveArgs.length === 0 || record.api || record.pid !== child.pid) ? record : null;
  const found = await waitFor(() => ready(runningSupervisor(ctx.store.dir)) ?? (exited ? 'exited' : null), 10_000);
  if (found === null || found === 'exited') throw new UserError(`The supervisor did not start; see ${logFile}`);
  return { record: found, started: found.pid === child.pid };
};

export const stopSupervisor = async (ctx: Pick<Context, 'store'>): Promise<SupervisorRecord | null> => {
  const record = runningSupervisor(ctx.store.dir);
  if (!record) return null;
  process.kill(record.pid, 'SIGTERM');
  const gone = await waitFor(() => (runningSupervisor(ctx.store.dir)?.pid === record.pid ? null : true), 15_000);
  if (!gone) process.kill(record.pid, 'SIGKILL');
  return record;
};

/**
 * Operations that create or change a policy make sure someone enforces it (the local backend's
 * enforcePolicies). SVC_NO_AUTOSTART=1 turns this off (tests, hosts where systemd runs `svc daemon run`).
 */
export const ensureSupervisor = async (ctx: LaunchContext): Promise<void> => {
  if (!ctx.settings.autostartSupervisor) return;
  const { record, started } = await startDetachedSupervisor(ctx);
  if (started) ctx.io.stderr.write(`Started the svc supervisor (pid ${record.pid}); \`svc daemon status\` shows it.\n`);
};
