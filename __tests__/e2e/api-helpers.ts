/**
 * Helpers for tests of `svc serve`: the built bin/svc serving on a free loopback port with a state
 * dir of its own, and requests to it as the platforms' clients send them.
 */
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { makeStateDir, removeStateDir, requireBuiltCli, svc, SVC_BIN } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

export interface Served {
  url: string;
  token: string;
  home: string;
  process: ResultPromise;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the process to end; resolves to its exit code. */
  stop(): Promise<number | undefined>;
}

export interface ServeOptions {
  home?: string;
  /** Extra environment (SVC_NO_AUTOSTART is set unless `supervisor` is true). */
  env?: Record<string, string>;
  /** Let the server's operations start the state dir's supervisor, as a user's would. */
  supervisor?: boolean;
  args?: string[];
}

/** Starts `svc serve --listen 127.0.0.1:0` and waits for the URL it prints. */
export const serve = async (options: ServeOptions = {}): Promise<Served> => {
  requireBuiltCli();
  const home = options.home ?? makeStateDir();
  const env = {
    ...options.env,
    SVC_HOME: home,
    NO_COLOR: '1',
    ...(options.supervisor ? {} : { SVC_NO_AUTOSTART: '1' }),
  };
  const child = execa(SVC_BIN, ['serve', '--listen', '127.0.0.1:0', ...(options.args ?? [])], {
    env,
    reject: false,
    stdin: 'ignore',
    buffer: false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exited = false;
  void child.then(() => (exited = true));
  await waitFor('svc serve to print its URL', async () => {
    if (exited) throw new Error(`svc serve exited before it served: ${stderr}`);
    return /^http:\/\/\S+$/m.test(stdout);
  });
  const url = /^(http:\/\/\S+)$/m.exec(stdout)![1];
  const token = fs.readFileSync(path.join(home, 'api-token'), 'utf8').trim();
  return {
    url,
    token,
    home,
    process: child,
    stderr: () => stderr,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      const result = await child;
      return result.exitCode;
    },
  };
};

/** Stops the server, and the state dir's supervisor if one was started, and removes the state dir. */
export const shutDown = async (served: Served | undefined, { keepHome = false } = {}): Promise<void> => {
  if (!served) return;
  await served.stop();
  await svc(['daemon', 'stop'], { home: served.home });
  if (!keepHome) removeStateDir(served.home);
};

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON body; null for an empty one. */
  body: T;
  text: string;
}

export interface RequestOptions {
  /** A JSON value, or a string sent as it is. */
  body?: unknown;
  /** The Authorization header; default `Bearer <token>`. null sends none. */
  authorization?: string | null;
  headers?: Record<string, string>;
}

export const request = async <T = any>(
  served: Served,
  method: string,
  pathAndQuery: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> => {
  const headers: Record<string, string> = { ...options.headers };
  const authorization = options.authorization === undefined ? `Bearer ${served.token}` : options.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${served.url}${pathAndQuery}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, text };
};

/** The Authorization header the Docker Cloud and Tutum SDKs build from DOCKERCLOUD_USER and DOCKERCLOUD_APIKEY. */
export const basicAuth = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

/** The state dir's files that must not change when a request is refused. */
/**
 * One workload's record and its events, as written: for a refusal that must leave it untouched
 * while other workloads of the same state dir (a crash loop of an earlier test) go on changing.
 */
export const workloadWritten = (home: string, id: string) => {
  const events = path.join(home, 'events.jsonl');
  return {
    record: JSON.stringify(JSON.parse(fs.readFileSync(path.join(home, 'state.json'), 'utf8')).workloads[id] ?? null),
    events: fs.existsSync(events)
      ? fs
          .readFileSync(events, 'utf8')
          .split('\n')
          .filter((line) => line.includes(id))
      : [],
  };
};

export const stateBytes = (home: string): Record<string, string | null> =>
  Object.fromEntries(
    ['state.json', 'events.jsonl'].map((name) => {
      const file = path.join(home, name);
      return [name, fs.existsSync(file) ? fs.readFileSync(file, 'base64') : null];
    }),
  );
