/**
 * The HTTP server of the platforms' APIs (API.md): Docker Cloud and Tutum, Fly Machines and svc's
 * own. Every route calls the same operations as the CLI (src/operations/), so a service made over
 * HTTP is the one `svc service ps` shows, and the reverse.
 *
 * Bodies are JSON, at most BODY_LIMIT_BYTES, checked against a schema per endpoint: an unknown field
 * or a wrong type is a 400 naming it, never silently dropped or coerced. Every route checks the Host
 * first (host-check.ts). Each dialect is a plugin under its prefix, registered inside one guarded
 * context that needs the token, or the web page's session header; with the session, a request that
 * changes something must also come from the page's own origin (guard.ts). Health and the web page's
 * own files are its siblings, outside it. No CORS headers: a page of another origin cannot read
 * anything from here, nor send the session header.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { Ajv, Fastify } from './vendor.js';
import {
  capConnections,
  connectionLimits,
  openFileLimit,
  serverTimeoutOptions,
  type ConnectionLimits,
} from './connection-limits.js';
import type { OperationContext } from '../context.js';
import { answerError, errorReply, HttpError } from './errors.js';
import type { ApiApp, ApiPlugin } from './endpoint.js';
import { createGuard, type Guard } from './guard.js';
import type { ListenAddress } from './listen.js';
import { fixedToken, type TokenSource } from './token.js';
import { DOCKER_CLOUD_PATHS, TUTUM_PATHS } from '../present/dockercloud.js';
import { dockerCloudRoutes } from './dockercloud/routes.js';
import { flyMachinesRoutes } from './fly/routes.js';
import { healthRoutes } from './svc/health.js';
import { svcEventRoutes } from './svc/events.js';
import { signInCodeRoutes, webPageRoutes } from './web/routes.js';
import { createSessions } from './web/sessions.js';
import { createSignInCodes, type SignInCodes } from './web/sign-in-codes.js';

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

const SVC_PREFIX = '/api/svc/v1';

/**
 * Everything that needs the token or a session: its onRequest hook holds for these plugins alone.
 * A path no route has is answered here too, so that it also asks for credentials first.
 */
const guardedRoutes: ApiPlugin<{
  ctx: OperationContext;
  guard: Guard;
  codes: SignInCodes;
  closing: AbortSignal;
}> = async (app, { ctx, guard, codes, closing }) => {
  app.addHook('onRequest', guard.authenticate);
  app.setNotFoundHandler((request, reply) => errorReply(reply, 404, `no such API path: ${request.url.split('?')[0]}`));
  await app.register(dockerCloudRoutes, { ctx, paths: DOCKER_CLOUD_PATHS });
  await app.register(dockerCloudRoutes, { ctx, paths: TUTUM_PATHS });
  await app.register(flyMachinesRoutes, { prefix: '/v1', ctx, closing });
  await app.register(svcEventRoutes, { prefix: SVC_PREFIX, ctx });
  await app.register(signInCodeRoutes, { codes });
};

/**
 * Why Fastify's parser refused a body, in words a client can act on: its own message says only
 * that the body is not valid JSON. JSON that parses was refused for a poisoning key.
 */
const jsonRefusal = (text: string): string => {
  try {
    JSON.parse(text);
    return 'it sets __proto__ or constructor.prototype, which no API field is';
  } catch (error) {
    return (error as Error).message;
  }
};

export const buildApiServer = (ctx: OperationContext, options: ApiServerOptions): ApiApp => {
  const limits = options.limits ?? connectionLimits(openFileLimit());
  const app = Fastify({
    ...serverTimeoutOptions(limits),
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Idle keep-alive connections are closed at once on close(); requests under way finish first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }).withTypeProvider<JsonSchemaToTsProvider>();

  capConnections(app.server, limits, options.log);

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));

  // Bodies are JSON only: a text/plain POST (what an HTML form of another site can send without
  // asking) is a 415, never a request without a body. An empty JSON body (Fly's start, cordon) is {};
  // any other goes to Fastify's own parser, which refuses __proto__ and constructor.prototype keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    parseJson(request, text, (error, parsed) => {
      if (error) done(new HttpError(400, `the request body is not valid JSON: ${jsonRefusal(text)}`), undefined);
      else done(null, parsed);
    });
  });
  // A POST with no body and no content type at all is an empty object too.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && ['POST', 'PATCH', 'PUT'].includes(request.method)) request.body = {};
  });

  const tokens = typeof options.token === 'string' ? fixedToken(options.token) : options.token;
  const sessions = createSessions();
  const codes = createSignInCodes();
  const guard = createGuard({ tokens, sessions, codes, address: options.address ?? INJECTED_ADDRESS });
  app.addHook('onRequest', guard.checkHost);
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

  // Public: health, and the web page with its sign-in.
  app.register(healthRoutes, { prefix: SVC_PREFIX, ctx, log: options.log });
  app.register(webPageRoutes, {
    tokens,
    sessions,
    codes,
    webDir: options.webDir ?? null,
    publicOrigin: options.address?.publicOrigin,
  });
  app.register(guardedRoutes, { ctx, guard, codes, closing: closing.signal });
  return app;
};
