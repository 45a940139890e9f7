/** `svc daemon run|start|stop|status` */
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { startDetachedSupervisor, stopSupervisor } from '../supervisor/control.js';
import { createSupervisor } from '../supervisor/loop.js';
import { claimSupervisor, releaseSupervisor, runningSupervisor, supervisorFiles } from '../supervisor/pidfile.js';
import { relativeTime } from '../render/time.js';

const DEFAULT_RECONCILE_MS = 30_000;

/** Foreground supervisor (for systemd, or `daemon start` to detach). Runs until SIGTERM or SIGINT. */
export const runDaemon = async (ctx: Context): Promise<void> => {
  const other = await claimSupervisor(ctx.store.dir, process.pid, ctx.clock.now());
  if (other) throw new UserError(`A supervisor already runs for ${ctx.store.dir} (pid ${other.pid})`, 1, 'Stop it with `svc daemon stop` first.');
  const log = (message: string) => ctx.io.stderr.write(`${new Date(ctx.clock.now()).toISOString()} ${message}\n`);
  const supervisor = createSupervisor(ctx, {
    reconcileEveryMs: Number(ctx.env.SVC_RECONCILE_MS) || DEFAULT_RECONCILE_MS,
    reconnectCapMs: 5_000,
    log,
  });
  await new Promise<void>((resolve) => {
    const shutdown = async (signal: string) => {
      log(`${signal}: stopping`);
      await supervisor.stop();
      releaseSupervisor(ctx.store.dir, process.pid);
      resolve();
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    log(`supervisor started (pid ${process.pid}, state ${ctx.store.dir})`);
    supervisor.start().catch((error: Error) => log(`start failed: ${error.message}`));
  });
};

export const startDaemon = async (ctx: Context) => {
  const { record, started } = await startDetachedSupervisor(ctx);
  ctx.io.stderr.write(
    started
      ? `svc supervisor started (pid ${record.pid}); log: ${supervisorFiles(ctx.store.dir).logFile}\n`
      : `svc supervisor already running (pid ${record.pid})\n`,
  );
};

export const stopDaemon = async (ctx: Context) => {
  const record = await stopSupervisor(ctx);
  ctx.io.stderr.write(record ? `svc supervisor stopped (pid ${record.pid})\n` : 'svc supervisor was not running\n');
};

export const daemonStatus = (ctx: Context, json: boolean) => {
  const record = runningSupervisor(ctx.store.dir);
  const { logFile } = supervisorFiles(ctx.store.dir);
  if (json) {
    const status = { running: record !== null, pid: record?.pid ?? null, started_at: record ? new Date(record.startedAt).toISOString() : null, state_dir: ctx.store.dir, log_file: logFile };
    return void ctx.io.stdout.write(JSON.stringify(status, null, 2) + '\n');
  }
  ctx.io.stdout.write(
    record
      ? `running (pid ${record.pid}, started ${relativeTime(record.startedAt, ctx.clock.now())})\nstate: ${ctx.store.dir}\nlog:   ${logFile}\n`
      : `stopped\nstate: ${ctx.store.dir}\nStart it with \`svc daemon start\`.\n`,
  );
};
