/**
 * How many connections the API server holds at once, and for how long one may idle. Every open
 * connection is a file descriptor, and the process has a fixed number of them (`ulimit -n`: 1024
 * under systemd's default). A client that opens connections and never finishes a request must not
 * use them all: the server's own work (a `docker` child takes up to six while it starts, the state
 * files, the event log each stream follows) would then fail with EMFILE.
 */
import fs from 'node:fs';
import type { Server } from 'node:net';

/** Used when the limit cannot be read (no /proc): systemd's default for services. */
const ASSUMED_FD_LIMIT = 1024;
/** Below this, the server would turn away a browser's handful of parallel connections. */
const MIN_CONNECTIONS = 16;

export interface ConnectionLimits {
  /** Connections held at once; one more is closed as soon as it is accepted. */
  maxConnections: number;
  /** A connection must have sent its request's headers this long after it opened (or after its previous answer). */
  headersTimeoutMs: number;
  /** ... and its whole request, body included. The answer may take longer: a live event stream lasts for hours. */
  requestTimeoutMs: number;
  /** A kept-alive connection with no request under way is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often the timeouts above are checked (Node's default, 30 s, would let a flood hold its slots that much longer). */
  checkEveryMs: number;
}

/** The soft limit on open files of this process, from /proc/self/limits; `unlimited` counts as a large number. */
export const openFileLimit = (limitsText?: string): number => {
  try {
    const text = limitsText ?? fs.readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
    if (soft === 'unlimited') return 1 << 20;
    const limit = Number(soft);
    return Number.isInteger(limit) && limit > 0 ? limit : ASSUMED_FD_LIMIT;
  } catch {
    return ASSUMED_FD_LIMIT;
  }
};

/**
 * Half the descriptors for connections, half for everything else: with 1024, 512 connections, and
 * room for ~80 docker children at once besides the state files and Node's own.
 */
export const connectionLimits = (fdLimit: number): ConnectionLimits => ({
  maxConnections: Math.max(MIN_CONNECTIONS, Math.floor(fdLimit / 2)),
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkEveryMs: 1_000,
});

/** Fastify's construction options for these limits (Node's http.Server takes the timeouts when it is made). */
export const serverTimeoutOptions = (limits: ConnectionLimits) => ({
  keepAliveTimeout: limits.keepAliveTimeoutMs,
  requestTimeout: limits.requestTimeoutMs,
  http: {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkEveryMs,
  },
});

/** Turned-away connections this far apart belong to one outage, said once. */
const OUTAGE_GAP_MS = 10_000;

/**
 * The cap, and what the server says when it bites: once when connections start being turned away
 * (or an accept fails: no descriptor left), and once, with their count, when none has been for a
 * while. An 'error' on a listening server that no one listens for would end the process; a failed
 * accept is no reason to.
 */
export const capConnections = (server: Server, limits: ConnectionLimits, log: (message: string) => void): void => {
  server.maxConnections = limits.maxConnections;
  let turnedAway = 0;
  let quiet: NodeJS.Timeout | null = null;
  const turnAway = (why: string) => {
    if (turnedAway === 0) log(`turning connections away: ${why}`);
    turnedAway += 1;
    if (quiet) clearTimeout(quiet);
    quiet = setTimeout(() => {
      log(`taking connections again (${turnedAway} turned away)`);
      turnedAway = 0;
      quiet = null;
    }, OUTAGE_GAP_MS).unref();
  };
  server.on('drop', () =>
    turnAway(
      `${limits.maxConnections} are open, the most this server holds (one that sends no request is closed after ${limits.headersTimeoutMs / 1000} s)`,
    ),
  );
  // From listening on: an error before is the listen's own (address in use), which start.ts reports.
  server.once('listening', () =>
    server.on('error', (error: NodeJS.ErrnoException) =>
      turnAway(`accepting one failed (${error.code ?? error.message})`),
    ),
  );
  server.on('close', () => quiet && clearTimeout(quiet));
};
