/** Fly apps and their machines, with each machine's state and restart policy. */
import { api } from '../api.js';
import { h, show } from '../dom.js';
import { ago, stateBadge } from '../format.js';
import type { Machine } from '../types.js';
import { describeRestart } from '../../core/dialects/fly-table.js';
import { refreshing, type View } from './view.js';

export const machinesView: View = (main) => {
  const apps = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  show(main, h('h1', {}, 'Machines'), apps);
  const load = async () => {
    const { apps: list } = await api<{ apps: { name: string }[] }>('GET', '/v1/apps');
    if (list.length === 0)
      return show(
        apps,
        h('p', { class: 'muted' }, 'No machines yet: `svc m run`, `svc deploy` or the Machines API make them.'),
      );
    const tables = await Promise.all(
      list.map(async ({ name }) => {
        const machines = await api<Machine[]>('GET', `/v1/apps/${encodeURIComponent(name)}/machines`);
        return h(
          'section',
          {},
          h('h2', {}, `App ${name}`),
          h(
            'div',
            { class: 'scroll' },
            h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['Machine', 'Name', 'State', 'Restart policy', 'Restarts', 'Image', 'Updated'].map((c) =>
                    h('th', { scope: 'col' }, c),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                machines.map((m) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, h('a', { href: `#/machine/${encodeURIComponent(name)}/${m.id}` }, m.id)),
                    h('td', {}, m.name),
                    h('td', {}, stateBadge(m.state)),
                    h('td', {}, describeRestart(m.config.restart)),
                    h('td', { class: 'num' }, m.restarts),
                    h('td', { class: 'wrap' }, m.config.image),
                    h('td', {}, ago(m.updated_at)),
                  ),
                ),
              ),
            ),
          ),
        );
      }),
    );
    show(apps, tables);
  };
  return refreshing(load);
};
