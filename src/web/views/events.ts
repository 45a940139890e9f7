/** Every decision and user action as it happens: restarts, replacements, give-ups, stops, with their reasons. */
import { api } from '../api.js';
import { h, show } from '../dom.js';
import { eventRow } from '../format.js';
import { onEvent, type SvcEvent } from '../live.js';
import type { View } from './view.js';

export const eventsView: View = (main) => {
  const feed = h('ol', { class: 'feed', 'aria-live': 'polite' });
  show(main, h('h1', {}, 'Events'), h('p', { class: 'muted' }, 'Newest first; new ones appear as they happen.'), feed);
  void api<SvcEvent[]>('GET', '/api/svc/v1/events/?limit=200').then((events) =>
    feed.append(...events.reverse().map(eventRow)),
  );
  return onEvent((event) => feed.prepend(eventRow(event)));
};
