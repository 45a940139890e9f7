/**
 * `svc serve`: the platforms' APIs (and the web page) in the foreground, for systemd or a script that
 * starts it in the background. It prints its URL on stdout; Ctrl-C or SIGTERM stop it once the
 * requests under way have finished (a second one stops it at once). The supervisor is a process of
 * its own, started as for any command that sets a policy; `svc daemon start --listen` runs both, the
 * server as a child process of the supervisor (supervisor/api-process.ts). One server per state dir.
 */
import type { Flags } from './flags.js';
import type { Context } from '../context.js';
import { startServer } from '../server-context.js';
import { checkListen, DEFAULT_LISTEN, parseListen, withPublicUrl } from '../api/listen.js';
import { apiToken, rotateToken, tokenFile } from '../api/token.js';
import { claimServer, describeServer, recordServerUrl, runningServer, runningServerUrl } from '../api/server-record.js';
import { mintSignInLink } from '../api/sign-in-link.js';
import { conflictError, UserError } from '../errors.js';
import { SERVE_FOR_SUPERVISOR_ENV } from '../supervisor/api-process.js';
import { ensureSupervisor } from '../supervisor/control.js';
import { firstStopSignal } from '../signals.js';
import { escapeControlsInLines } from '../render/escape.js';

export interface ServeFlags {
  listen?: string;
  allowRemote?: boolean;
  publicUrl?: string;
  printToken?: boolean;
  printUrl?: boolean;
  rotateToken?: boolean;
}

/** The web page's sign-in link for the server of this state dir that runs now: a one-time code it mints, asked with the token. */
const printSignInLink = async (ctx: Context) => {
  const url = runningServerUrl(ctx.store.dir);
  if (url === null) {
    throw new UserError(`No svc server runs for ${ctx.store.dir}`, {
      hint: 'Start one with `svc serve` or `svc daemon start --listen 127.0.0.1:7420`.',
    });
  }
  ctx.io.stdout.write(`${await mintSignInLink(url, apiToken(ctx.store.dir))}\n`);
};

/** A new token; the running servers of this state dir notice the file changed and take only it from then on. */
const printRotated = (ctx: Context) => {
  rotateToken(ctx.store.dir);
  ctx.io.stderr.write(
    `A new API token is in ${tokenFile(ctx.store.dir)}: the servers of this state dir refuse the old one and have ended every web session. ` +
      'svc serve --print-token prints it; svc serve --print-url prints a sign-in link.\n',
  );
};

/**
 * This state dir's server record, for this process. Refused while another server of the dir runs:
 * `--print-url` and `daemon status` could name only one of them. The supervisor's own server
 * (`daemon run --listen`) is its child, and finds the record held by its parent.
 */
const claimServing = async (ctx: Context): Promise<'own' | 'parent'> => {
  const dir = ctx.store.dir;
  if (ctx.env[SERVE_FOR_SUPERVISOR_ENV] === '1') {
    const holder = runningServer(dir);
    if (holder?.kind === 'daemon' && holder.pid === process.ppid) return 'parent';
    throw new UserError(
      `${SERVE_FOR_SUPERVISOR_ENV} is for the server the supervisor starts, and this process's parent is not the supervisor serving ${dir}`,
      {
        hint: 'Unset it and run `svc serve`.',
      },
    );
  }
  const other = await claimServer(dir, 'serve');
  if (other) {
    throw conflictError(
      `A server of ${dir} already runs: ${describeServer(other)}`,
      'Use it (`svc serve --print-url` prints its sign-in link), or stop it first; a server of another state dir needs SVC_HOME set to that dir.',
    );
  }
  return 'own';
};

/** The supervisor's server stops when the supervisor closes its stdin, or is gone. */
const parentGone = (ctx: Context) =>
  new Promise<string>((resolve) => {
    ctx.io.stdin.once('end', () => resolve('the supervisor closed its pipe'));
    ctx.io.stdin.once('error', () => resolve("the supervisor's pipe broke"));
    ctx.io.stdin.resume();
  });

export const serve = async (ctx: Context, flags: Flags<ServeFlags>): Promise<void> => {
  if (flags.printToken) return void ctx.io.stdout.write(`${apiToken(ctx.store.dir)}\n`);
  if (flags.printUrl) return printSignInLink(ctx);
  if (flags.rotateToken) return printRotated(ctx);
  const warn = (message: string) => ctx.io.stderr.write(`${message}\n`);
  const address = withPublicUrl(
    checkListen(parseListen(flags.listen ?? DEFAULT_LISTEN), Boolean(flags.allowRemote), warn),
    flags.publicUrl,
  );
  const log = (message: string) =>
    ctx.io.stderr.write(`${new Date(ctx.clock.now()).toISOString()} ${escapeControlsInLines(message)}\n`);
  const stop = firstStopSignal();
  const serving = await claimServing(ctx);
  const api = await startServer(ctx, () => ensureSupervisor(ctx), { address, log });
  if (serving === 'parent') {
    // The supervisor records the URL and says where it serves; this process only serves.
    ctx.io.stdout.write(`${api.url}\n`);
    const why = await Promise.race([stop, parentGone(ctx)]);
    // Left open, the pipe would keep this process alive after a signal: the supervisor waits for its exit.
    ctx.io.stdin.destroy();
    log(`${why}: the API server stops once the requests under way have finished`);
    return api.close();
  }
  await recordServerUrl(ctx.store.dir, process.pid, api.url);
  ctx.io.stdout.write(`${api.url}\n`);
  ctx.io.stderr.write(
    `svc serves Docker Cloud (${api.url}/api/app/v1/), Tutum (/api/v1/) and Fly Machines (/v1/apps/APP/machines); ` +
      `state ${ctx.store.dir}; the token: svc serve --print-token\n` +
      // The link signs in (once, for 5 minutes): shown on a terminal, not written into a log.
      (ctx.io.stderrIsTTY
        ? `Web page (this link signs in once, within 5 minutes; svc serve --print-url prints another): ${await mintSignInLink(api.url, apiToken(ctx.store.dir))}\n`
        : `Web page: ${api.url}/ (its sign-in link: svc serve --print-url)\n`),
  );
  const signal = await stop;
  ctx.io.stderr.write(`${signal}: stopping once the requests under way have finished (again to stop at once)\n`);
  await api.close();
};
