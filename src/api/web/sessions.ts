/**
 * The web page's sign-in: a session id in an HttpOnly, SameSite=Strict cookie, made by showing the
 * API token once. Sessions live in the server's memory: a restart signs everyone out, which the
 * page handles by showing how to sign in again. Each session has its own CSRF token, which every
 * request that changes something must carry (server.ts).
 */
import { randomHex } from '../../adapters/random.js';

export const SESSION_COOKIE = 'svc_session';
/** Idle sessions end after this long. */
const SESSION_IDLE_MS = 12 * 3600 * 1000;
/** A bound on memory, whoever keeps signing in. */
const MAX_SESSIONS = 1000;

export interface Session {
  id: string;
  csrf: string;
  lastUsed: number;
}

export interface Sessions {
  create(): Session;
  /** The live session with this id, touched; null for none or an expired one. */
  find(id: string | undefined): Session | null;
  drop(id: string | undefined): void;
}

export const createSessions = (now: () => number = Date.now): Sessions => {
  const sessions = new Map<string, Session>();
  const expired = (session: Session) => now() - session.lastUsed > SESSION_IDLE_MS;
  return {
    create() {
      for (const [id, session] of sessions) if (expired(session)) sessions.delete(id);
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      const session = { id: randomHex(32), csrf: randomHex(32), lastUsed: now() };
      sessions.set(session.id, session);
      return session;
    },
    find(id) {
      const session = id === undefined ? undefined : sessions.get(id);
      if (!session) return null;
      if (expired(session)) {
        sessions.delete(session.id);
        return null;
      }
      session.lastUsed = now();
      return session;
    },
    drop(id) {
      if (id !== undefined) sessions.delete(id);
    },
  };
};

/** One cookie's value from a Cookie header. */
export const cookieValue = (header: string | undefined, name: string): string | undefined => {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
};

export const sessionCookie = (id: string) => `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
export const clearedSessionCookie = () => `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
