/**
 * svc's events as they happen, from the API's server-sent events: one stream for the page, shared
 * by every view that listens. Read with fetch() rather than EventSource, which cannot send the
 * session header. The server ends the stream when the session ends (sign-out, expiry, a new token)
 * or when it stops; the page then asks whether it is still signed in, and signs out
 * (svc:signed-out) or opens the stream anew.
 */
import type { WorkloadEvent } from '../core/events.js';
import { sessionHeaders, sessionStands } from './api.js';

/** svc's event as the API sends it (present/events.ts): the time in ISO 8601. */
export type SvcEvent = Omit<WorkloadEvent, 'time'> & { time: string };

type Listener = (event: SvcEvent) => void;
const listeners = new Set<Listener>();
let stream: AbortController | null = null;
/** A stream that ended while the session still stands (a server stopping, say) is opened again after this, not at once in a loop. */
const REOPEN_DELAY_MS = 3_000;

/** The `data:` lines of one server-sent event, joined; comments (keep-alives) give ''. */
const dataOf = (block: string) =>
  block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''))
    .join('\n');

const read = async (controller: AbortController) => {
  const response = await fetch('/api/svc/v1/events/stream/', {
    headers: sessionHeaders(),
    credentials: 'omit',
    cache: 'no-store',
    signal: controller.signal,
  });
  if (!response.ok || !response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replaceAll('\r\n', '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = dataOf(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (data) {
        const event = JSON.parse(data) as SvcEvent;
        listeners.forEach((listener) => listener(event));
      }
    }
  }
};

const open = () => {
  const controller = new AbortController();
  stream = controller;
  void read(controller)
    .catch(() => {})
    .then(() => {
      // Closed here (signed out, or replaced): nothing to recover.
      if (controller.signal.aborted || stream !== controller) return;
      stream = null;
      void recover();
    });
};

const reopen = () => {
  if (!stream && listeners.size > 0) open();
};

/** After the stream ended: without this, a view that listens would show nothing new, and no reason. */
const recover = async () => {
  const stands = await sessionStands().catch(() => null);
  // No view listens any more (the page signed out already, say): the next one that does opens the stream.
  if (listeners.size === 0) return;
  if (stands === false) window.dispatchEvent(new Event('svc:signed-out'));
  else setTimeout(reopen, REOPEN_DELAY_MS);
};

/** Calls `listener` for every event from now on; returns how to stop. */
export const onEvent = (listener: Listener): (() => void) => {
  listeners.add(listener);
  if (!stream) open();
  return () => listeners.delete(listener);
};

/** Closes the stream (the page signs out); the next view that listens opens a new one. */
export const closeLive = (): void => {
  stream?.abort();
  stream = null;
};
