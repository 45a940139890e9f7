/**
 * svc's events as they happen, from the API's server-sent events: one stream for the page, shared
 * by every view that listens. The browser reconnects a dropped stream by itself; one it gave up on
 * (refused: the session ended) is opened anew by the next view that listens.
 */
export interface SvcEvent {
  time: string;
  workloadId: string;
  workloadName: string;
  instance: number | null;
  containerId: string | null;
  exitCode: number | null;
  oomKilled: boolean | null;
  action: string;
  reason: string;
  source: 'user' | 'supervisor';
}

type Listener = (event: SvcEvent) => void;
const listeners = new Set<Listener>();
let stream: EventSource | null = null;

const open = () => {
  stream = new EventSource('/api/svc/v1/events/stream/');
  stream.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as SvcEvent;
    listeners.forEach((listener) => listener(event));
  };
  stream.onerror = () => {
    if (stream?.readyState === EventSource.CLOSED) stream = null;
  };
};

/** Calls `listener` for every event from now on; returns how to stop. */
export const onEvent = (listener: Listener): (() => void) => {
  listeners.add(listener);
  if (!stream) open();
  return () => listeners.delete(listener);
};
