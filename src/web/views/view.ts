/** What every view is: it draws into main and returns how to stop (its live updates, its timers). */
import { messageOf } from '../api.js';
import { toast } from '../dom.js';
import { onEvent } from '../live.js';

export type View = (main: HTMLElement, ...params: string[]) => () => void;

/** A button's action: the outcome as a toast, then the view loaded again whatever happened. */
export const runAction = async (
  label: string,
  run: () => Promise<unknown>,
  load: () => Promise<void>,
): Promise<void> => {
  try {
    await run();
    toast(`${label}: done`);
  } catch (error) {
    toast(`${label}: ${messageOf(error)}`, 'error');
  }
  await load().catch(() => {});
};

/** Container states change without an event of svc's (a container starting): looked at again now and then too. */
const REFRESH_MS = 3000;

/**
 * Loads now, again soon after each of svc's events (a burst of them is one reload), and every few
 * seconds. A reload that fails says so once, without replacing what is shown.
 */
export const refreshing = (
  load: () => Promise<void>,
  shouldReload: (workloadId: string) => boolean = () => true,
): (() => void) => {
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
  const stopListening = onEvent((event) => shouldReload(event.workloadId) && reload());
  const timer = window.setInterval(reload, REFRESH_MS);
  return () => {
    stopListening();
    window.clearInterval(timer);
    window.clearTimeout(pending);
  };
};
