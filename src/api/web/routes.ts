/**
 * The web page (src/web/, built into dist/web/) and its sign-in. The page uses nothing but the
 * API, with a session (sessions.ts) instead of the token: it can do nothing the API cannot.
 *
 * Signing in takes a one-time code (the link `svc serve --print-url` prints: sign-in-codes.ts) or
 * the token pasted into the page; either gives a session id, which the page keeps in its tab.
 * The page's files and its session need no token (server.ts registers them outside the guarded
 * routes); minting a sign-in code does.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokenMatches } from '../auth.js';
import { errorReply } from '../errors.js';
import { credentialOf } from '../guard.js';
import { endpoint, type ApiPlugin } from '../endpoint.js';
import type { TokenSource } from '../token.js';
import { loadAssets } from './assets.js';
import { isOwnOrigin } from './origin.js';
import { SESSION_HEADER, sessionIdOf, type Sessions } from './sessions.js';
import type { SignInCodes } from './sign-in-codes.js';

/** The page's scripts and styles are its own files only: no inline script, nothing from another origin, no framing. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
};

const signInSchema = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: { code: { type: 'string', maxLength: 200 }, token: { type: 'string', maxLength: 1000 } },
  additionalProperties: false,
} as const;

const CODE_REFUSED =
  'this sign-in link has been used already, or is more than 5 minutes old: run `svc serve --print-url` on the host for a new one';
const TOKEN_REFUSED = "that is not this server's token: `svc serve --print-url` prints a link that signs in";

export interface WebOptions {
  tokens: TokenSource;
  sessions: Sessions;
  codes: SignInCodes;
  webDir: string | null;
  /** --public-url's origin: a sign-in from there is the page's own. */
  publicOrigin?: string;
}

/** The page's files and its session: public. */
export const webPageRoutes: ApiPlugin<WebOptions> = async (app, options) => {
  const assets = options.webDir === null ? null : loadAssets(options.webDir);
  const { sessions, codes, tokens } = options;

  const sendAsset = (name: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const asset = assets?.get(name);
    if (!asset) return errorReply(reply, 404, 'the web page is not built here: run `npm run build`');
    reply.headers(PAGE_HEADERS).header('ETag', asset.etag).header('Vary', 'Accept-Encoding').type(asset.type);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')))
      return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  };

  endpoint(app, '/', { GET: { handler: sendAsset('index.html') } });
  endpoint(app, '/ui/app.js', { GET: { handler: sendAsset('app.js') } });
  endpoint(app, '/ui/app.css', { GET: { handler: sendAsset('app.css') } });

  // These routes pass no guard, so no look at the token file: a rotation this very moment must
  // still end the sessions and codes before they are asked about (the watch may be a second behind).
  const sessionOf = (request: FastifyRequest) => {
    tokens.current();
    return sessionIdOf(request.headers[SESSION_HEADER]);
  };

  endpoint(app, '/ui/session', {
    GET: {
      handler: async (request) => ({ signed_in: sessions.find(sessionOf(request)) !== null }),
    },
    POST: {
      schema: { body: signInSchema },
      handler: async (request, reply) => {
        if (request.headers.origin !== undefined && !isOwnOrigin(request, options.publicOrigin))
          return errorReply(reply, 403, 'sign-in from another origin refused');
        const { code, token } = request.body;
        const current = tokens.current();
        if (code !== undefined && !codes.redeem(code)) return errorReply(reply, 401, CODE_REFUSED);
        if (token !== undefined && (current === null || !tokenMatches(token, current)))
          return errorReply(reply, 401, TOKEN_REFUSED);
        return { signed_in: true, session: sessions.create().id };
      },
    },
    DELETE: {
      handler: async (request) => {
        sessions.drop(sessionOf(request));
        return { signed_in: false };
      },
    },
  });
};

/** A sign-in link's code, for whoever has the token (`svc serve --print-url`): a session cannot mint one. Guarded. */
export const signInCodeRoutes: ApiPlugin<{ codes: SignInCodes }> = async (app, { codes }) => {
  endpoint(app, '/ui/sign-in-code', {
    POST: {
      handler: async (request, reply) => {
        if (credentialOf(request)?.kind !== 'token')
          return errorReply(reply, 403, 'a sign-in code needs the API token, not a session');
        const { code, expiresInMs } = codes.mint();
        return { code, expires_in: expiresInMs / 1000 };
      },
    },
  });
};
