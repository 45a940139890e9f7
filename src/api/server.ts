/**
 * The HTTP server of the platforms' APIs (API.md): Docker Cloud and Tutum, Fly Machines and svc's
 * own. Every route calls the same operations as the CLI (src/operations/), so a service made over
 * HTTP is the one `svc service ps` shows, and the reverse.
 *
 * Bodies are JSON, at most BODY_LIMIT_BYTES, checked against a schema per endpoint: an unknown field
 * or a wrong type is a 400 naming it, never silently dropped or coerced. Every route but health and
 * the web page's own files needs the token, or the web page's session header; with the session, a
 * request that changes something must also come from the page's own origin (guard.ts). Every route
 * checks the Host first (host-check.ts). No CORS headers: a page of another origin cannot read
 * anything from here, nor send the session header.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Ajv, Fastify, secureJson } from './vendor.js';
import {
  capConnections,
  connectionLimits,
  openFileLimit,
  serverTimeoutOptions,
  type ConnectionLimits,
} from './connection-limits.js';
import type { OperationContext } from '../context.js';
import { answerError, errorReply, HttpError } from './errors.js';
import { createGuard } from './guard.js';
import type { ListenAddress } from './listen.js';
import { fixedToken, type TokenSource } from './token.js';
import { dockerCloudRoutes } from './dockercloud/routes.js';
import { flyMachinesRoutes } from './fly/routes.js';
import { svcRoutes } from './svc/routes.js';
import { webRoutes } from './web/routes.js';
import { createSessions } from './web/sessions.js';
import { createSignInCodes } from './web/sign-in-codes.js';

export const BODY_LIMIT_BYTES = 256 * 1024;

export interface ApiServerOptions {
  /** The token file, watched (token.ts); a string is a token that never changes. */
  token: string | TokenSource;
  /** Where it listens, for the Host check (host-check.ts); by default a loopback server on port 80, as fastify's inject() asks. */
  address?: ListenAddress;
  /** Where a bug's stack, and what the public health check keeps to itself, go (the supervisor's log, or stderr). */
  log(message: string): void;
  /** The built web page (dist/web); null: no page, only the APIs. */
  webDir?: string | null;
  /** Default: from this process's open-file limit (connection-limits.ts). */
  limits?: ConnectionLimits;
}

const INJECTED_ADDRESS: ListenAddress = { host: '127.0.0.1', port: 80 };

/** Bodies: exactly what the schema says. Query strings and path parts are text, so numbers there are converted. */
const bodyAjv = new Ajv({
  allowUnionTypes: true,
  allErrors: false,
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: true,
});
const textAjv = new Ajv({
  allowUnionTypes: true,
  allErrors: false,
  coerceTypes: true,
  removeAdditional: false,
  useDefaults: true,
});

export const buildApiServer = (ctx: OperationContext, options: ApiServerOptions): FastifyInstance => {
  const limits = options.limits ?? connectionLimits(openFileLimit());
  const app = Fastify({
    ...serverTimeoutOptions(limits),
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Idle keep-alive connections are closed at once on close(); requests under way finish first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  capConnections(app.server, limits, options.log);

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));

  // Bodies are JSON only: a text/plain POST (what an HTML form of another site can send without
  // asking) is a 415, never a request without a body. An empty JSON body (Fly's start, cordon) is {}.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(new HttpError(400, `the request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
  // A POST with no body and no content type at all is an empty object too.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && ['POST', 'PATCH', 'PUT'].includes(request.method)) request.body = {};
  });

  const tokens = typeof options.token === 'string' ? fixedToken(options.token) : options.token;
  const sessions = createSessions();
  const codes = createSignInCodes();
  app.addHook(
    'onRequest',
    createGuard({ tokens, sessions, codes, address: options.address ?? INJECTED_ADDRESS }).onRequest,
  );
  app.addHook('onClose', async () => sessions.close());

  // Closing: answers still under way ask the client to close the connection, so that a keep-alive
  // connection does not hold the server open after its last answer.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  // Node's close() ends kept-alive connections, not one whose first request has not come in (a
  // browser opens such ahead of need): it would hold the server open until its headers timeout (10 s,
  // connection-limits.ts). Those are closed when closing begins (a client halfway through sending its first request
  // sees the connection reset, and may send it again), and any that comes after, at once.
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    if (closing.signal.aborted) return void socket.destroy();
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage) => unused.delete(request.socket));
  app.addHook('preClose', async () => unused.forEach((socket) => socket.destroy()));
  app.addHook('onSend', async (_request, reply) => {
    if (closing.signal.aborted) reply.header('Connection', 'close');
  });

  app.setErrorHandler(answerError(options.log));
  app.setNotFoundHandler((request, reply) => errorReply(reply, 404, `no such API path: ${request.url.split('?')[0]}`));

  dockerCloudRoutes(app, ctx);
  flyMachinesRoutes(app, ctx, closing.signal);
  svcRoutes(app, ctx, options.log);
  webRoutes(app, {
    tokens,
    sessions,
    codes,
    webDir: options.webDir ?? null,
    publicOrigin: options.address?.publicOrigin,
  });
  return app;
};
