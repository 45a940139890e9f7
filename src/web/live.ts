/**
 * svc's events as they happen, from the API's server-sent events: one stream for the page, shared
 * by every view that listens. The browser reconnects a dropped stream by itself; when it gives up on
 * one (refused: the server restarted and forgot the session), the page asks whether it is still
 * signed in, and signs out (svc:signed-out) or opens the stream anew.
 */
import type { WorkloadEvent } from '../core/events.js';
import { currentSession } from './api.js';

/** svc's event as the API sends it (present/events.ts): the time in ISO 8601. */
export type SvcEvent = Omit<WorkloadEvent, 'time'> & { time: string };

type Listener = (event: SvcEvent) => void;
const listeners = new Set<Listener>();
let stream: EventSource | null = null;
/** A refused stream of a session that still stands (a server stopping, say) is tried again after this, not at once in a loop. */
const REOPEN_DELAY_MS = 3_000;

const open = () => {
  const source = new EventSource('/api/svc/v1/events/stream/');
  stream = source;
  source.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as SvcEvent;
    listeners.forEach((listener) => listener(event));
  };
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED) return;
    stream = null;
    void recover();
  };
};

const reopen = () => {
  if (!stream && listeners.size > 0) open();
};

/** After the browser gave up on the stream: without this, a view that listens would show nothing new, and no reason. */
const recover = async () => {
  const session = await currentSession().catch(() => null);
  // No view listens any more (the page signed out already, say): the next one that does opens the stream.
  if (listeners.size === 0) return;
  if (session?.signed_in === false) window.dispatchEvent(new Event('svc:signed-out'));
  else setTimeout(reopen, REOPEN_DELAY_MS);
};

/** Calls `listener` for every event from now on; returns how to stop. */
export const onEvent = (listener: Listener): (() => void) => {
  listeners.add(listener);
  if (!stream) open();
  return () => listeners.delete(listener);
};
