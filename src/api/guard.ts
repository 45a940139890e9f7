/**
 * What requests pass before their route: the Host check (host-check.ts), a hook on the whole server;
 * then, in the context of every route but health and the page's own files (server.ts), the token or
 * a web page's session. A change sent with a session must also come from the page's own origin; the
 * session header itself stands for a CSRF token (sessions.ts).
 *
 * Whatever a request was let in by can end while it is served (a live event stream stays open):
 * `credentialEnded` is the signal of that end, the session's or the token's.
 */
import type { IncomingMessage } from 'node:http';
import { setMaxListeners } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokenFromAuthorization, tokenMatches } from './auth.js';
import { errorReply } from './errors.js';
import { hostAllowed, misdirectedMessage } from './host-check.js';
import type { ListenAddress } from './listen.js';
import type { TokenSource } from './token.js';
import { fromAnotherSite, isOwnOrigin } from './web/origin.js';
import { SESSION_HEADER, sessionIdOf, type Session, type Sessions } from './web/sessions.js';
import type { SignInCodes } from './web/sign-in-codes.js';

/** Methods that change something: with a session they need the page's origin. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const AUTH_HELP =
  'authentication required: send the token of `svc serve --print-token` (Bearer, FlyV1, Basic USER:TOKEN or ApiKey USER:TOKEN)';
const NO_TOKEN = 'this state dir has no API token now (it was removed): `svc serve --print-token` makes a new one';

export interface Credential {
  kind: 'token' | 'session';
  /** Aborted when what let the request in ends: the session, or this version of the token. */
  ended: AbortSignal;
  session?: Session;
}

const credentials = new WeakMap<IncomingMessage, Credential>();

/** What let this request in; undefined on a public route. */
export const credentialOf = (request: FastifyRequest): Credential | undefined => credentials.get(request.raw);

export interface Guard {
  /** Every request, first: the Host, and the headers every answer carries. */
  checkHost(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
  /** The protected routes' hook: the token, or a session (with the page's origin for a change). */
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

export const createGuard = (options: {
  tokens: TokenSource;
  sessions: Sessions;
  codes: SignInCodes;
  address: ListenAddress;
}): Guard => {
  const { tokens, sessions, codes, address } = options;
  // The token's own end, for requests let in by it; a new one for each version of the token.
  let tokenVersion = new AbortController();
  setMaxListeners(0, tokenVersion.signal);
  tokens.onChange(() => {
    tokenVersion.abort();
    tokenVersion = new AbortController();
    setMaxListeners(0, tokenVersion.signal);
    sessions.endAll();
    codes.clear();
  });

  return {
    async checkHost(request, reply) {
      reply.header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer');
      // The port the connection came in on; an injected request (tests) has none and stands for the listen address.
      const port = request.raw.socket?.localPort ?? address.port;
      if (!hostAllowed(request.headers.host, address, port))
        return errorReply(reply, 421, misdirectedMessage(request.headers.host, address, port));
    },

    async authenticate(request, reply) {
      // Bearer only: a Basic challenge would make a browser ask for, and then keep sending, credentials
      // on its own, also for requests other sites start. The SDKs send Basic unasked.
      const refuse = (message = AUTH_HELP) => {
        reply.header('WWW-Authenticate', 'Bearer realm="svc"');
        return errorReply(reply, 401, message);
      };
      // A change a browser sends for a page of another site is refused, whatever credentials ride along.
      if (UNSAFE_METHODS.has(request.method) && fromAnotherSite(request, address.publicOrigin)) {
        return errorReply(reply, 403, 'a request from another origin cannot change anything');
      }
      // Looked at on every check: a rotated or removed token counts from the next request on.
      const token = tokens.current();
      if (request.headers.authorization !== undefined) {
        if (token === null) return refuse(NO_TOKEN);
        if (!tokenMatches(tokenFromAuthorization(request.headers.authorization), token)) return refuse();
        credentials.set(request.raw, { kind: 'token', ended: tokenVersion.signal });
        return;
      }
      const session = sessions.find(sessionIdOf(request.headers[SESSION_HEADER]));
      if (!session) return refuse();
      if (UNSAFE_METHODS.has(request.method) && !isOwnOrigin(request, address.publicOrigin)) {
        return errorReply(reply, 403, 'a request from another origin (or with no Origin) cannot change anything');
      }
      credentials.set(request.raw, { kind: 'session', ended: session.ended, session });
    },
  };
};
