/**
 * The Host header, against DNS rebinding: a page at http://attacker.example:7420 whose name the
 * attacker points at 127.0.0.1 is, to the browser, its own origin, and could read anything served
 * without the token (the page, health, the sign-in route). It sends `Host: attacker.example:7420`,
 * which a loopback server refuses: only its own address, or localhost / 127.0.0.1 / [::1], with the
 * port it listens on. A server listening on another address (--allow-remote) is reached under names
 * svc cannot know (the machine's DNS names, a proxy's), so it takes any Host: it is remote on
 * purpose, and everything there but health and the page's own files needs the token anyway.
 */
import { isLoopback, type ListenAddress } from './listen.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** `name:port`, `[v6]:port` or `name` (port 80): the name in lower case, without brackets. */
const parseHost = (host: string): { name: string; port: number } | null => {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(host);
  if (!match) return null;
  return { name: (match[1] ?? match[2]).toLowerCase(), port: match[3] === undefined ? 80 : Number(match[3]) };
};

/**
 * Whether `host` names this server. `port` is the one the connection came in on (the listen
 * address's port 0 became a real one).
 */
export const hostAllowed = (host: string | undefined, listen: ListenAddress, port: number): boolean => {
  if (!isLoopback(listen.host)) return true;
  const parsed = host === undefined ? null : parseHost(host);
  if (!parsed || parsed.port !== port) return false;
  return LOOPBACK_NAMES.includes(parsed.name) || parsed.name === listen.host.toLowerCase();
};

export const misdirectedMessage = (host: string | undefined, listen: ListenAddress, port: number): string =>
  `the Host ${host === undefined ? '(none)' : `'${host}'`} is not this server: it answers only to its own address ` +
  `(${listen.host === '::1' ? '[::1]' : listen.host}:${port}, localhost:${port}), against DNS rebinding`;
