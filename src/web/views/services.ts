/** The services, as Docker Cloud's dashboard listed them, kept up to date as svc's events arrive. */
import { api } from '../api.js';
import { h, show } from '../dom.js';
import { ago, stateBadge } from '../format.js';
import type { Service } from '../types.js';
import { refreshing, type View } from './view.js';

const row = (s: Service) =>
  h(
    'tr',
    {},
    h('td', {}, h('a', { href: `#/service/${s.uuid}` }, s.name)),
    h('td', {}, stateBadge(s.state)),
    h('td', { class: 'num' }, `${s.running_num_containers}/${s.target_num_containers}`),
    h('td', { class: 'wrap' }, s.image_name),
    h('td', {}, s.autorestart),
    h('td', {}, s.autoreplace),
    h('td', { class: 'num' }, s.restarts),
    h('td', {}, ago(s.deployed_datetime && new Date(s.deployed_datetime).toISOString())),
  );

export const servicesView: View = (main) => {
  const body = h('tbody', {}, h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'Loading…')));
  show(
    main,
    h(
      'div',
      { class: 'title' },
      h('h1', {}, 'Services'),
      h('a', { class: 'button primary', href: '#/launch' }, 'Launch service'),
    ),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'services' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Name', 'State', 'Containers', 'Image', 'Autorestart', 'Autoreplace', 'Restarts', 'Deployed'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        body,
      ),
    ),
  );
  const load = async () => {
    const { objects } = await api<{ objects: Service[] }>('GET', '/api/app/v1/service/?limit=1000');
    const live = objects.filter((s) => s.state !== 'Terminated');
    show(
      body,
      live.length
        ? live.map(row)
        : h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No services yet: launch one.')),
    );
  };
  return refreshing(load);
};
