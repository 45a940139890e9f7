/**
 * The APIs of `svc daemon run --listen`, served by a child process (`svc serve` started for the
 * supervisor), never by the supervisor itself. Whatever a client does to the server (a thousand
 * idle connections taking every file descriptor, a request that finds a bug) happens to the child:
 * the supervisor keeps its descriptors for `docker` and its state, goes on restarting containers,
 * and starts the server again, with back-off, on the same port.
 *
 * The child's stdin is a pipe from here: when it closes (the supervisor stops, or dies) the server
 * stops once the requests under way have finished. Its stderr goes to the supervisor's log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { isIP } from 'node:net';
import { UserError } from '../errors.js';
import { sleep } from '../sleep.js';
import type { ListenAddress } from '../api/listen.js';

export interface ApiProcessOptions {
  svcBinary: string;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  address: ListenAddress;
  allowRemote: boolean;
  log(message: string): void;
  /** The child's own stderr (its log lines, a crash's stack), as it comes. */
  forward(text: string): void;
}

export interface ApiProcess {
  /** `http://127.0.0.1:7420`, with the port the first child was given for port 0: every later one listens there too. */
  url: string;
  /** The child that serves now (changes when one is restarted). */
  pid(): number | undefined;
  /** Stops restarting, and stops the child once its requests under way have finished (SIGKILL after STOP_GRACE_MS). */
  stop(): Promise<void>;
}

/** Set in the child's environment: `svc serve` then serves for its parent, which holds the state dir's server record. */
export const SERVE_FOR_SUPERVISOR_ENV = 'SVC_SERVE_FOR_SUPERVISOR';

const RESTART_FIRST_MS = 100;
const RESTART_CAP_MS = 10_000;
/** A child that served this long before it ended starts a new outage: back-off from the start. */
const STEADY_MS = 10_000;
const STOP_GRACE_MS = 10_000;
const ADDRESS_IN_USE_PATIENCE_MS = 5_000;
const ADDRESS_IN_USE_RETRY_MS = 250;

/** The port a served URL names: a URL leaves out its scheme's default (`http://127.0.0.1` is port 80), which is not port 0. */
export const servedPort = (url: string): number => Number(new URL(url).port || 80);

/** A try whose process could not be made at all. */
const failedLaunch = (error: NodeJS.ErrnoException): Run => {
  const how = `could not be started (${error.code ?? error.message})`;
  const served = Promise.reject(new Error(how));
  served.catch(() => {});
  return { child: null, served, ended: Promise.resolve(how), stderr: () => '' };
};

const listenText = ({ host, port }: ListenAddress) => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

interface Run {
  /** null when the process could not even be made. */
  child: ChildProcess | null;
  /** The URL the child printed once it listens; rejects if it ended first. */
  served: Promise<string>;
  /** How it ended: `exited with code 1`, `was killed by SIGKILL`, `could not be started (EMFILE)`. */
  ended: Promise<string>;
  /** Its stderr so far (the last few kB): why a start failed. */
  stderr(): string;
}

export const startApiProcess = async (options: ApiProcessOptions): Promise<ApiProcess> => {
  /** `forwardNow`: the child's stderr goes to the log as it comes; otherwise only once it serves (a failed retry is said once, here). */
  const launch = (port: number, forwardNow: boolean): Run => {
    const args = [
      options.svcBinary,
      'serve',
      '--listen',
      listenText({ host: options.address.host, port }),
      ...(options.allowRemote ? ['--allow-remote'] : []),
      ...(options.address.publicOrigin ? [`--public-url=${options.address.publicOrigin}`] : []),
    ];
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: {
          ...options.env,
          SVC_HOME: options.stateDir,
          SVC_NO_AUTOSTART: '1',
          NO_COLOR: '1',
          [SERVE_FOR_SUPERVISOR_ENV]: '1',
        },
      });
    } catch (error) {
      // Node throws some spawn failures at once rather than as an 'error' (ENOMEM when fork fails):
      // such a try ended as it began, and is tried again like any other.
      return failedLaunch(error as NodeJS.ErrnoException);
    }
    // A child that ended has closed its stdin: the supervisor's end of it must not throw EPIPE.
    child.stdin?.on('error', () => {});
    let stderr = '';
    let forwarding = forwardNow;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4_096);
      if (forwarding) options.forward(chunk);
    });
    const ended = new Promise<string>((resolve) => {
      // A spawn that fails (no descriptor left, the binary gone) is an 'error' with no 'exit'.
      child.once('error', (error: NodeJS.ErrnoException) =>
        resolve(`could not be started (${error.code ?? error.message})`),
      );
      child.once('exit', (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    });
    const served = new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const url = /^(http:\/\/\S+)\r?\n/m.exec(stdout)?.[1];
        if (url) resolve(url);
      });
      void ended.then((how) => reject(new Error(how)));
    });
    void served.then(
      () => {
        if (!forwarding) options.forward(stderr);
        forwarding = true;
      },
      () => {},
    );
    return { child, served, ended, stderr: () => stderr };
  };

  // The port may still be held a moment by the server child of a supervisor that was killed (it stops
  // once its requests under way have finished): only that failure is tried again, for a while.
  let first = launch(options.address.port, false);
  let url: string;
  const patientUntil = Date.now() + ADDRESS_IN_USE_PATIENCE_MS;
  for (;;) {
    try {
      url = await first.served;
      break;
    } catch (error) {
      first.child?.kill('SIGKILL');
      const said = first
        .stderr()
        .replace(/^Error: /m, '')
        .trim();
      if (/\(EADDRINUSE\)/.test(said) && Date.now() < patientUntil) {
        // A timer that holds the process: nothing else does yet (the supervisor starts after its server).
        await sleep(ADDRESS_IN_USE_RETRY_MS);
        first = launch(options.address.port, false);
        continue;
      }
      // Its own error (`Cannot listen on ...: the address is already in use`) is the reason.
      throw new UserError(`The API server did not start: ${said || (error as Error).message}`, {
        hint: 'Choose another address with --listen HOST:PORT.',
      });
    }
  }
  const port = servedPort(url);

  let current = first;
  let stopping = false;
  let wake: () => void = () => {};
  const keepServing = async () => {
    let delay = RESTART_FIRST_MS;
    let servedAt = Date.now();
    for (;;) {
      const how = await current.ended;
      if (stopping) return;
      if (Date.now() - servedAt >= STEADY_MS) delay = RESTART_FIRST_MS;
      options.log(
        `the API server (pid ${current.child?.pid ?? '-'}) ${how}; starting it again in ${delay} ms, then with back-off until it serves`,
      );
      let tries = 0;
      for (;;) {
        await Promise.race([sleep(delay, { keepAlive: false }), new Promise<void>((resolve) => (wake = resolve))]);
        if (stopping) return;
        delay = Math.min(delay * 2, RESTART_CAP_MS);
        tries += 1;
        current = launch(port, false);
        const served = await current.served.then(
          () => true,
          () => false,
        );
        if (stopping) return;
        if (served) break;
        // Said once, with the first failed try's own words; the next tries fail the same way, quietly.
        if (tries === 1)
          options.log(
            `the API server could not start again (${
              current
                .stderr()
                .replace(/^Error: /m, '')
                .trim()
                .split('\n')[0] || 'no message'
            })`,
          );
      }
      servedAt = Date.now();
      options.log(
        `the API server serves again at ${url} (pid ${current.child?.pid ?? '-'}, after ${tries} ${tries === 1 ? 'try' : 'tries'})`,
      );
    }
  };
  // Nothing in it should throw; if something does, the supervisor goes on without its server rather than ending.
  void keepServing().catch((error: Error) =>
    options.log(`the API server is no longer restarted: ${error.stack ?? error.message}`),
  );
  // A supervisor that exits at once (a second signal) takes its server with it, however far its stop got.
  const onExit = () => current.child?.kill('SIGTERM');
  process.once('exit', onExit);

  return {
    url,
    pid: () => current.child?.pid,
    stop: async () => {
      stopping = true;
      wake();
      current.child?.stdin?.end();
      const gone = await Promise.race([
        current.ended.then(() => true),
        sleep(STOP_GRACE_MS, { keepAlive: false }).then(() => false),
      ]);
      if (!gone) current.child?.kill('SIGKILL');
      await current.ended;
      process.removeListener('exit', onExit);
    },
  };
};
