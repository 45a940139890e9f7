/**
 * svc's own additions under /api/svc/v1/: the event log as a list and as a live stream of
 * server-sent events (the web page's feeds). They need the token or a session (server.ts); the
 * health check beside them does not (health.ts).
 */
import type { ServerResponse } from 'node:http';
import type { OperationContext } from '../../context.js';
import type { WorkloadEvent } from '../../core/events.js';
import { eventQuery, listEvents } from '../../operations/events.js';
import { eventObject } from '../../present/events.js';
import { credentialOf } from '../guard.js';
import { clientGone, endpoint, type ApiPlugin } from '../endpoint.js';
import { createEventHub } from './event-hub.js';

/** A comment line now and then keeps proxies and browsers from taking a quiet stream for a dead one. */
const KEEPALIVE_MS = 15_000;
/** Unsent bytes a live stream may hold for a slow reader before it is closed. */
const SSE_BACKLOG_LIMIT_BYTES = 1024 * 1024;

const eventsQuerySchema = {
  type: 'object',
  properties: {
    workload: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 200 },
  },
  additionalProperties: false,
} as const;

const streamQuerySchema = {
  type: 'object',
  properties: { workload: { type: 'string' } },
  additionalProperties: false,
} as const;

const sseMessage = (event: WorkloadEvent) => `data: ${JSON.stringify(eventObject(event))}\n\n`;

/** Under /api/svc/v1. */
export const svcEventRoutes: ApiPlugin<{ ctx: OperationContext }> = async (app, { ctx }) => {
  const hub = createEventHub((onEvent) => ctx.store.followEvents(onEvent));
  const streams = new Set<ServerResponse>();
  let closing = false;
  // Streams never end on their own: closing the server ends them, so that close() does not wait for ever.
  app.addHook('preClose', async () => {
    closing = true;
    for (const stream of streams) stream.end();
    hub.close();
  });

  endpoint(app, '/events/', {
    GET: {
      schema: { querystring: eventsQuerySchema },
      handler: async (request) => {
        const { workload, limit } = request.query;
        return (await listEvents(ctx, await eventQuery(ctx, workload))).slice(-limit).map(eventObject);
      },
    },
  });

  endpoint(app, '/events/stream/', {
    GET: {
      schema: { querystring: streamQuerySchema },
      handler: async (request, reply) => {
        // Resolved first: an unknown workload is a plain 404, before the stream begins.
        const query = await eventQuery(ctx, request.query.workload);
        // The server began to close during the await: a stream begun now would hold close() open for ever.
        if (closing) return reply.code(503).send({ error: 'the server is stopping; connect again once it is back' });
        reply.hijack();
        const stream = reply.raw;
        // A client that left during the await has had its 'close' already: nothing would ever end this stream.
        if (clientGone(request, reply)) return;
        // Hijacked: the headers the server's hooks set are not sent, so they are named here.
        stream.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
        });
        // A reader that stopped reading is cut off rather than kept in memory: it may connect again (the web page does).
        const send = (text: string) => {
          if (stream.writableLength > SSE_BACKLOG_LIMIT_BYTES) stream.destroy();
          else stream.write(text);
        };
        send(': svc events\n\n');
        streams.add(stream);
        const unsubscribe = hub.subscribe((event) => {
          if (query.matches(event)) send(sseMessage(event));
        });
        const keepalive = setInterval(() => send(': keep-alive\n\n'), KEEPALIVE_MS);
        // The response's and the request's 'close' both call it; it runs once.
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          clearInterval(keepalive);
          unsubscribe();
          streams.delete(stream);
        };
        stream.on('close', finish);
        request.raw.on('close', finish);
        // The session or token that opened it ended (sign-out, expiry, a new token): so does the stream.
        const ended = credentialOf(request)?.ended;
        const endStream = () => stream.end();
        if (ended?.aborted) endStream();
        ended?.addEventListener('abort', endStream, { once: true });
        stream.once('close', () => ended?.removeEventListener('abort', endStream));
      },
    },
  });
};
