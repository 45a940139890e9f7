/** What every view is: it draws into main and returns how to stop (its live updates, its timers). */
import { messageOf } from '../api.js';
import { toast } from '../dom.js';
import type { onEvent } from '../live.js';

export type View = (main: HTMLElement, ...params: string[]) => () => void;

/** Container states change without an event of svc's (a container starting): looked at again now and then too. */
const REFRESH_MS = 3000;

/**
 * Loads now, again soon after each of svc's events (a burst of them is one reload), and every few
 * seconds. A reload that fails says so once, without replacing what is shown.
 */
export const refreshing = (load: () => Promise<void>, listen: typeof onEvent, shouldReload: (workloadId: string) => boolean = () => true): (() => void) => {
  let pending: number | undefined;
  let failed = false;
  const reload = () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      load().then(
        () => (failed = false),
        (error) => {
          if (!failed) toast(messageOf(error), 'error');
          failed = true;
        },
      );
    }, 100);
  };
  reload();
  const stopListening = listen((event) => shouldReload(event.workloadId) && reload());
  const timer = window.setInterval(reload, REFRESH_MS);
  return () => {
    stopListening();
    window.clearInterval(timer);
    window.clearTimeout(pending);
  };
};
