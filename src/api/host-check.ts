/**
 * The Host header, against DNS rebinding: a page at http://attacker.example:7420 whose name the
 * attacker points at this host is, to the browser, its own origin, and could read anything served
 * without the token (the page, health, the sign-in route). It sends `Host: attacker.example:7420`.
 * Rebinding needs a DNS name, so the server answers only to:
 * - localhost, 127.0.0.1 or [::1], with its port;
 * - its listen address with its port; on a wildcard address (0.0.0.0, ::), any IP address with its port;
 * - the host of --public-url (a TLS proxy's name, a DNS name the user chose), with that URL's port.
 * Any other name is refused, with the flag that would allow it.
 */
import { isIP } from 'node:net';
import type { ListenAddress } from './listen.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = ['0.0.0.0', '::', '0:0:0:0:0:0:0:0'];

/** `name:port`, `[v6]:port` or `name` (the scheme's default port): the name in lower case, without brackets. */
const parseHost = (host: string, defaultPort: number): { name: string; port: number } | null => {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(host);
  if (!match) return null;
  return { name: (match[1] ?? match[2]).toLowerCase(), port: match[3] === undefined ? defaultPort : Number(match[3]) };
};

/** The Host a browser sends for the public origin: `svc.example.com` for https://svc.example.com. */
const publicHostMatches = (host: string, publicOrigin: string): boolean => {
  const url = new URL(publicOrigin);
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const sent = parseHost(host, defaultPort);
  const own = parseHost(url.host, defaultPort);
  return sent !== null && own !== null && sent.name === own.name && sent.port === own.port;
};

/**
 * Whether `host` names this server. `port` is the one the connection came in on (the listen
 * address's port 0 became a real one).
 */
export const hostAllowed = (host: string | undefined, listen: ListenAddress, port: number): boolean => {
  if (host === undefined) return false;
  if (listen.publicOrigin !== undefined && publicHostMatches(host, listen.publicOrigin)) return true;
  const parsed = parseHost(host, 80);
  if (!parsed || parsed.port !== port) return false;
  if (LOOPBACK_NAMES.includes(parsed.name) || parsed.name === listen.host.toLowerCase()) return true;
  return WILDCARDS.includes(listen.host) && isIP(parsed.name) !== 0;
};

export const misdirectedMessage = (host: string | undefined, listen: ListenAddress, port: number): string =>
  `the Host ${host === undefined ? '(none)' : `'${host}'`} is not this server: it answers only to its own address ` +
  `(${listen.host === '::1' ? '[::1]' : listen.host}:${port}, localhost:${port}${listen.publicOrigin ? `, ${new URL(listen.publicOrigin).host}` : ''}), against DNS rebinding; ` +
  "a name of your own (a proxy's, a DNS name) needs --public-url";
