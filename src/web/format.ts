/** How the page shows times, states and events. */
import { h } from './dom.js';
import type { SvcEvent } from './live.js';

export const ago = (time: string | null): string => {
  if (!time) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(time)) / 1000));
  if (seconds < 60) return seconds < 2 ? 'just now' : `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
};

const STATE_CLASS: Record<string, string> = {
  running: 'good',
  started: 'good',
  stopped: 'bad',
  'not running': 'bad',
  terminated: 'bad',
  destroyed: 'bad',
  created: 'bad',
};

/** A state as a badge: green running, red stopped, amber anything under way. */
export const stateBadge = (state: string) =>
  h('span', { class: `badge ${STATE_CLASS[state.toLowerCase()] ?? 'busy'}` }, state);

export const eventRow = (event: SvcEvent) =>
  h(
    'li',
    { class: `event ${event.source}` },
    h('time', { datetime: event.time }, new Date(event.time).toLocaleTimeString()),
    ' ',
    h('strong', {}, event.workloadName),
    event.instance === null ? '' : ` #${event.instance}`,
    ' ',
    h('span', { class: `action ${event.action}` }, event.action),
    event.exitCode === null
      ? ''
      : h('span', { class: 'muted' }, ` exit ${event.exitCode}${event.oomKilled ? ' (OOM)' : ''}`),
    ' — ',
    event.reason,
    h('span', { class: 'muted' }, ` (${event.source})`),
  );
