/**
 * Where the server listens: `HOST:PORT` (`[::1]:7420` for IPv6). Loopback unless the user says
 * otherwise on purpose: anyone who reaches a non-loopback address and has the token can run
 * containers on this host, over plain HTTP.
 */
import { isIP } from 'node:net';
import { usageError } from '../errors.js';

export const DEFAULT_LISTEN = '127.0.0.1:7420';

export interface ListenAddress {
  host: string;
  port: number;
  /**
   * The origin browsers reach this server under when that is not the listen address (a TLS proxy,
   * a DNS name): `https://svc.example.com`. Its Host and Origin count as the server's own.
   */
  publicOrigin?: string;
}

export const parseListen = (text: string): ListenAddress => {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw usageError(
      `Invalid --listen '${text}': expected HOST:PORT, such as ${DEFAULT_LISTEN} or [::1]:7420 (port 0 picks a free one)`,
    );
  }
  return { host: match[1] ?? match[2], port };
};

export const isLoopback = (host: string): boolean => {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
};

/** A non-loopback address needs --allow-remote, and is then said out loud. */
export const checkListen = (
  address: ListenAddress,
  allowRemote: boolean,
  warn: (message: string) => void,
): ListenAddress => {
  if (isLoopback(address.host)) return address;
  if (!allowRemote) {
    throw usageError(
      `Refusing to listen on ${address.host}, which is not a loopback address: other hosts could reach the API`,
      'Add --allow-remote if that is what you want (keep the token secret; the API is plain HTTP), or listen on 127.0.0.1.',
    );
  }
  warn(
    `Warning: the API listens on ${address.host}, reachable from other hosts over plain HTTP; anyone with the token can run containers here.`,
  );
  return address;
};

/** `--public-url`: an http(s) URL of a host (and port), nothing else; its origin is kept. */
export const withPublicUrl = (address: ListenAddress, text: string | undefined): ListenAddress => {
  if (text === undefined) return address;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // said below
  }
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw usageError(
      `Invalid --public-url '${text}': expected the URL browsers open, such as https://svc.example.com or http://myhost:7420 (no path)`,
    );
  }
  return { ...address, publicOrigin: url.origin };
};

/** The URL clients use: `http://127.0.0.1:7420`. */
export const baseUrl = ({ host, port }: ListenAddress): string =>
  `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
