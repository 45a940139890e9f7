/**
 * The web page's sign-in: a session id the page keeps in sessionStorage and sends in the
 * X-Svc-Session header, never in a cookie. Cookies are not port-scoped: every listener on
 * 127.0.0.1 would receive one, and a page on any port could replace it. sessionStorage belongs to
 * this origin (port included) and this tab, and a header is what no other site's page can send
 * here without a CORS preflight, which this server never grants: it stands for the CSRF token too.
 *
 * Sessions live in the server's memory: a restart signs everyone out, which the page handles by
 * showing how to sign in again. A session ends when the page signs out, after SESSION_IDLE_MS
 * without a request, or when the token changes (server.ts); what it opened (a live event stream)
 * ends with it, through `ended`.
 */
import { setMaxListeners } from 'node:events';
import { randomHex } from '../../engine/ids.js';

export const SESSION_HEADER = 'x-svc-session';
/** Idle sessions end after this long. */
export const SESSION_IDLE_MS = 12 * 3600 * 1000;
/** How often idle sessions are looked for, so that one that is never asked about again still ends (and its streams). */
const SWEEP_MS = 60 * 1000;
/** A bound on memory, whoever keeps signing in. */
const MAX_SESSIONS = 1000;

export interface Session {
  id: string;
  lastUsed: number;
  /** Aborted when the session ends, however it ends. */
  ended: AbortSignal;
}

export interface Sessions {
  create(): Session;
  /** The live session with this id, touched; null for none or an expired one. */
  find(id: string | undefined): Session | null;
  drop(id: string | undefined): void;
  /** Ends every session (the token changed). */
  endAll(): void;
  /** Ends the sessions idle too long (a timer calls it; tests too). */
  sweep(): void;
  close(): void;
}

export const createSessions = (now: () => number = Date.now): Sessions => {
  const sessions = new Map<string, { session: Session; end: AbortController }>();
  const expired = (session: Session) => now() - session.lastUsed > SESSION_IDLE_MS;
  const end = (id: string) => {
    sessions.get(id)?.end.abort();
    sessions.delete(id);
  };
  const sweep = () => {
    for (const [id, { session }] of sessions) if (expired(session)) end(id);
  };
  const timer = setInterval(sweep, SWEEP_MS).unref();
  return {
    create() {
      sweep();
      if (sessions.size >= MAX_SESSIONS) end(sessions.keys().next().value!);
      const controller = new AbortController();
      // One listener per open stream of the session: not a leak however many tabs a user opens.
      setMaxListeners(0, controller.signal);
      const session = { id: randomHex(32), lastUsed: now(), ended: controller.signal };
      sessions.set(session.id, { session, end: controller });
      return session;
    },
    find(id) {
      const entry = id === undefined ? undefined : sessions.get(id);
      if (!entry) return null;
      if (expired(entry.session)) {
        end(entry.session.id);
        return null;
      }
      entry.session.lastUsed = now();
      return entry.session;
    },
    drop(id) {
      if (id !== undefined) end(id);
    },
    endAll() {
      for (const id of [...sessions.keys()]) end(id);
    },
    sweep,
    close() {
      clearInterval(timer);
    },
  };
};

/** The session id a request carries: the header, once; anything else is no session. */
export const sessionIdOf = (header: string | string[] | undefined): string | undefined =>
  typeof header === 'string' ? header : undefined;
