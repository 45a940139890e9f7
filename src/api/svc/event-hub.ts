/**
 * One follower of the event log for every live stream the server holds (the web page's feeds): the
 * log is polled once, whatever the number of listeners, and only while someone listens.
 */
import type { EventFollower } from '../../engine/ports/store.js';
import type { WorkloadEvent } from '../../core/events.js';

export interface EventHub {
  subscribe(listener: (event: WorkloadEvent) => void): () => void;
  /** Ends the follower (the server is closing). */
  close(): void;
}

export const createEventHub = (follow: (onEvent: (event: WorkloadEvent) => void) => EventFollower): EventHub => {
  const listeners = new Set<(event: WorkloadEvent) => void>();
  let follower: EventFollower | null = null;
  const stopFollowing = () => {
    follower?.stop();
    follower = null;
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      follower ??= follow((event) => listeners.forEach((l) => l(event)));
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopFollowing();
      };
    },
    close() {
      listeners.clear();
      stopFollowing();
    },
  };
};
