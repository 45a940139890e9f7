/**
 * A Docker engine that does not answer, on a unix socket in a temp dir, for DOCKER_HOST=unix://...:
 * `hung` accepts every connection and never says a word; `readsOnly` answers the CLI's ping,
 * `docker version` (so an operation's preflight passes) and `docker ps` (no containers), and leaves
 * every change waiting, as a daemon stuck on its containers would. Only a local socket: nothing
 * goes over a network.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { scratchDir } from './svc.js';

export interface FakeDaemon {
  /** For DOCKER_HOST. */
  host: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const API_VERSION = '1.43';

export const startFakeDaemon = async (mode: 'hung' | 'readsOnly'): Promise<FakeDaemon> => {
  const dir = fs.mkdtempSync(path.join(scratchDir(), 'svc-fake-dockerd-'));
  const socket = path.join(dir, 'docker.sock');
  const open = new Set<net.Socket>();
  let accepted = 0;
  const server =
    mode === 'hung'
      ? net.createServer(() => {})
      : http.createServer((request, response) => {
          if (request.url?.endsWith('/_ping')) {
            response.writeHead(200, { 'Api-Version': API_VERSION, 'Content-Type': 'text/plain' });
            return void response.end(request.method === 'HEAD' ? undefined : 'OK');
          }
          if (request.url?.endsWith('/version')) {
            response.writeHead(200, { 'Api-Version': API_VERSION, 'Content-Type': 'application/json' });
            return void response.end(
              JSON.stringify({
                Version: '99.0.0',
                ApiVersion: API_VERSION,
                MinAPIVersion: '1.12',
                Os: 'linux',
                Arch: 'amd64',
              }),
            );
          }
          if (request.method === 'GET' && /\/containers\/json(\?|$)/.test(request.url ?? '')) {
            response.writeHead(200, { 'Content-Type': 'application/json' });
            return void response.end('[]');
          }
          // Anything else (create, start, stop ...) is left waiting.
        });
  server.on('connection', (connection: net.Socket) => {
    accepted += 1;
    open.add(connection);
    connection.on('close', () => open.delete(connection));
    connection.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, resolve);
  });
  return {
    host: `unix://${socket}`,
    connections: () => accepted,
    close: async () => {
      for (const connection of open) connection.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The docker processes (from /proc) that talk to `host`: DOCKER_HOST is in their environment. */
export const dockerProcessesOf = (host: string): { pid: number; ppid: number; args: string[] }[] =>
  fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const args = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
        if (path.basename(args[0] ?? '') !== 'docker') return [];
        if (!fs.readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`DOCKER_HOST=${host}`)) return [];
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        // Field 4 (ppid) comes after the command in parentheses, which may itself hold spaces.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [{ pid: Number(name), ppid, args }];
      } catch {
        return []; // gone while it was read
      }
    });
