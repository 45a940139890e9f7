/**
 * The web page (src/web/, built into dist/web/) and its sign-in. The page uses nothing but the
 * API, with a session cookie instead of the token: it can do nothing the API cannot.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tokenMatches } from '../auth.js';
import { errorReply } from '../errors.js';
import { endpoint } from '../routing.js';
import { loadAssets } from './assets.js';
import { clearedSessionCookie, cookieValue, SESSION_COOKIE, sessionCookie, type Sessions } from './sessions.js';

/** The page's scripts and styles are its own files only: no inline script, nothing from another origin, no framing. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
};

/** Whether the request's Origin is this server as the browser reached it: the host and port it asked for, over HTTP or a TLS proxy's HTTPS. */
export const isOwnOrigin = (request: FastifyRequest): boolean => {
  const { origin, host } = request.headers;
  return origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
};

/**
 * A browser's request made for a page of another site; API clients send neither header. Any Origin
 * but this server's counts, "null" too: browsers send it from sandboxed frames, data: URLs and
 * redirects, none of which is this server's page.
 */
export const fromAnotherSite = (request: FastifyRequest): boolean => {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  return request.headers.origin !== undefined && !isOwnOrigin(request);
};

const signInSchema = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 1000 } },
  additionalProperties: false,
} as const;

export const webRoutes = (app: FastifyInstance, options: { token: string; sessions: Sessions; webDir: string | null }): void => {
  const assets = options.webDir === null ? null : loadAssets(options.webDir);
  const { sessions } = options;

  const sendAsset = (name: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const asset = assets?.get(name);
    if (!asset) return errorReply(reply, 404, 'the web page is not built here: run `npm run build`');
    reply.headers(PAGE_HEADERS).header('ETag', asset.etag).header('Vary', 'Accept-Encoding').type(asset.type);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  };

  endpoint(app, '/', { GET: { public: true, handler: sendAsset('index.html') } });
  endpoint(app, '/ui/app.js', { GET: { public: true, handler: sendAsset('app.js') } });
  endpoint(app, '/ui/app.css', { GET: { public: true, handler: sendAsset('app.css') } });

  endpoint(app, '/ui/session', {
    GET: {
      public: true,
      handler: async (request) => {
        const session = sessions.find(cookieValue(request.headers.cookie, SESSION_COOKIE));
        return session ? { signed_in: true, csrf: session.csrf } : { signed_in: false };
      },
    },
    // Signing in shows the token once (the link `svc serve` prints carries it); from then on the cookie stands for it.
    POST: {
      public: true,
      schema: { body: signInSchema },
      handler: async (request, reply) => {
        if (request.headers.origin !== undefined && !isOwnOrigin(request)) return errorReply(reply, 403, 'sign-in from another origin refused');
        if (!tokenMatches((request.body as { token: string }).token, options.token)) {
          return errorReply(reply, 401, 'that is not this server\'s token: `svc serve --print-url` prints a link that signs in');
        }
        const session = sessions.create();
        return reply.header('Set-Cookie', sessionCookie(session.id)).send({ signed_in: true, csrf: session.csrf });
      },
    },
    DELETE: {
      public: true,
      handler: async (request, reply) => {
        sessions.drop(cookieValue(request.headers.cookie, SESSION_COOKIE));
        return reply.header('Set-Cookie', clearedSessionCookie()).send({ signed_in: false });
      },
    },
  });
};
