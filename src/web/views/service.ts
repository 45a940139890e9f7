/**
 * One service: its containers, its policy with Tutum's Crash Recovery button and Docker Cloud's
 * Edit form, its actions, and its own live feed of events.
 */
import { api, ApiError, messageOf } from '../api.js';
import { confirmDialog, h, show, toast } from '../dom.js';
import { eventRow, stateBadge } from '../format.js';
import { onEvent, type SvcEvent } from '../live.js';
import type { Container, Service } from '../types.js';
import type { ServicePolicyApiField } from '../../core/dialects/dockercloud-table.js';
import { SERVICE_POLICY_SELECTS, type PolicySelect } from './policy-fields.js';
import { refreshing, runAction, type View } from './view.js';

/** Tutum: Crash Recovery is ON when a crashed container is both restarted and replaced, always. */
const crashRecoveryOn = (s: Service) => s.autorestart === 'ALWAYS' && s.autoreplace === 'ALWAYS';

const select = ({ name, words, label, help }: PolicySelect, value: string) =>
  h(
    'label',
    { title: help },
    label,
    h('select', { name }, ...words.map((w) => h('option', { value: w, selected: w === value }, w))),
  );

type PolicyValues = Record<ServicePolicyApiField, string>;

/** A select per policy field, named as the API's fields (the Edit form and the launch wizard). */
export const policySelects = (values: PolicyValues) =>
  SERVICE_POLICY_SELECTS.map((field) => select(field, values[field.name as ServicePolicyApiField]));

/** "Autorestart OFF · Autoreplace OFF · Autodestroy OFF" */
const describePolicy = (values: PolicyValues) =>
  SERVICE_POLICY_SELECTS.map(({ name, label }) => `${label} ${values[name as ServicePolicyApiField]}`).join(' · ');

export const serviceView: View = (main, uuid) => {
  const path = `/api/app/v1/service/${encodeURIComponent(uuid)}/`;
  const heading = h('div', { class: 'title' }, h('h1', {}, 'Service'));
  const facts = h('dl', { class: 'facts' });
  const policy = h('section', { 'aria-label': 'Restart policy' });
  const actions = h('section', { class: 'actions', 'aria-label': 'Actions' });
  const containers = h('tbody');
  const feed = h('ol', { class: 'feed', 'aria-live': 'polite' });
  let current: Service | null = null;
  let editing = false;
  /** Redrawn only when they change, so that a focused button or a half-typed number is not swept away every few seconds. */
  let drawnPolicy = '';
  let scaleTo: HTMLInputElement | null = null;

  const act = (label: string, run: () => Promise<unknown>) => runAction(label, run, load);

  const drawPolicy = (s: Service, force = false) => {
    const key = describePolicy(s);
    if (editing || (key === drawnPolicy && !force)) return;
    drawnPolicy = key;
    const on = crashRecoveryOn(s);
    const problem = h('p', { class: 'problem', role: 'alert' });
    const form = h(
      'form',
      {
        class: 'edit',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const data = new FormData(event.target as HTMLFormElement);
          try {
            await api(
              'PATCH',
              path,
              Object.fromEntries(SERVICE_POLICY_SELECTS.map(({ name }) => [name, String(data.get(name))])),
            );
            editing = false;
            drawnPolicy = '';
            toast('Restart policy saved');
            await load();
          } catch (error) {
            // A 409 is the rule (autodestroy with ALWAYS): shown beside the form, and nothing was saved.
            problem.textContent = error instanceof ApiError ? error.message : messageOf(error);
          }
        },
      },
      h('h3', {}, 'Edit'),
      ...policySelects(s),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary' }, 'Save'),
        h('button', { type: 'button', onclick: () => ((editing = false), drawPolicy(s, true)) }, 'Cancel'),
      ),
      problem,
    );
    show(
      policy,
      h('h2', {}, 'Restart policy'),
      h('p', { class: 'policy' }, describePolicy(s)),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          {
            class: on ? 'toggle on' : 'toggle',
            'aria-pressed': String(on),
            onclick: () =>
              act(`Crash Recovery ${on ? 'OFF' : 'ON'}`, () =>
                api(
                  'PATCH',
                  path,
                  on ? { autorestart: 'OFF', autoreplace: 'OFF' } : { autorestart: 'ALWAYS', autoreplace: 'ALWAYS' },
                ),
              ),
          },
          `Crash Recovery: ${on ? 'ON' : 'OFF'}`,
        ),
        h(
          'button',
          {
            onclick: () => (
              (editing = true),
              show(policy, h('h2', {}, 'Restart policy'), form),
              form.querySelector('select')?.focus()
            ),
          },
          'Edit',
        ),
      ),
    );
  };

  const drawActions = (s: Service) => {
    if (scaleTo) {
      if (document.activeElement !== scaleTo) scaleTo.value = String(s.target_num_containers);
      return;
    }
    const input = h('input', {
      type: 'number',
      min: 0,
      max: 1000,
      value: s.target_num_containers,
      'aria-label': 'Number of containers',
      class: 'narrow',
    }) as HTMLInputElement;
    scaleTo = input;
    show(
      actions,
      h('button', { onclick: () => act('Start', () => api('POST', `${path}start/`)) }, 'Start'),
      h('button', { onclick: () => act('Stop', () => api('POST', `${path}stop/`)) }, 'Stop'),
      h('button', { onclick: () => act('Redeploy', () => api('POST', `${path}redeploy/`)) }, 'Redeploy'),
      h(
        'form',
        {
          class: 'inline',
          onsubmit: (e: Event) => (
            e.preventDefault(),
            act('Scale', () => api('POST', `${path}scale/`, { target_num_containers: Number(input.value) }))
          ),
        },
        input,
        h('button', { type: 'submit' }, 'Scale'),
      ),
      h(
        'button',
        {
          class: 'danger',
          onclick: async () => {
            if (
              await confirmDialog(
                `Terminate ${s.name}?`,
                h('p', {}, 'Its containers are removed. This cannot be undone.'),
                'Terminate',
              )
            ) {
              await act('Terminate', () => api('DELETE', path));
            }
          },
        },
        'Terminate',
      ),
    );
  };

  const load = async () => {
    const s = await api<Service>('GET', path);
    current = s;
    show(heading, h('h1', {}, s.name), stateBadge(s.state));
    show(
      facts,
      ...(
        [
          ['Image', s.image_name],
          ['Command', s.run_command ?? '(the image’s)'],
          ['Containers', `${s.running_num_containers} running of ${s.target_num_containers}`],
          ['Restarts', String(s.restarts)],
          ['UUID', s.uuid],
        ] as const
      ).flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
    );
    drawPolicy(s);
    drawActions(s);
    const { objects } = await api<{ objects: Container[] }>(
      'GET',
      `/api/app/v1/container/?limit=1000&service=${encodeURIComponent(s.resource_uri)}`,
    );
    show(
      containers,
      objects.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, c.name),
          h('td', {}, stateBadge(c.state)),
          h('td', { class: 'num' }, c.exit_code ?? ''),
          h('td', { class: 'num' }, c.restarts),
          h('td', { class: 'wrap' }, c.stopped_reason ?? ''),
        ),
      ),
    );
  };

  show(
    main,
    heading,
    facts,
    policy,
    actions,
    h('h2', {}, 'Containers'),
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
            ...['Name', 'State', 'Exit code', 'Restarts', 'Why stopped'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        containers,
      ),
    ),
    h('h2', {}, 'Events'),
    feed,
  );

  void api<SvcEvent[]>('GET', `/api/svc/v1/events/?workload=${encodeURIComponent(uuid)}&limit=50`).then((events) =>
    show(feed, events.reverse().map(eventRow)),
  );
  const stopFeed = onEvent((event) => {
    if (event.workloadId === current?.uuid) feed.prepend(eventRow(event));
  });
  const stopRefresh = refreshing(load, (workloadId) => workloadId === current?.uuid);
  return () => {
    stopFeed();
    stopRefresh();
  };
};
