/**
 * One Fly machine and a change of its restart policy. As `svc m update` does, the change is shown
 * as a diff of the machine's config before it is applied; applied, it reaches the running machine
 * at once (the config is posted with skip_launch, so a stopped machine stays stopped).
 */
import { diffLines, type DiffLine } from '../../core/lineDiff.js';
import { api, messageOf } from '../api.js';
import { confirmDialog, h, show, toast } from '../dom.js';
import { stateBadge } from '../format.js';
import type { Machine, RestartConfig } from '../types.js';
import { describeRestart, FLY_RESTART_FIELDS } from '../../core/dialects/fly-table.js';
import { MACHINE_RESTART_SELECT } from './policy-fields.js';
import { refreshing, runAction, type View } from './view.js';

const diffView = (lines: DiffLine[]) =>
  h(
    'pre',
    { class: 'diff' },
    lines.map((line) =>
      line.kind === 'folded'
        ? h('span', { class: 'folded' }, `  ... // ${line.count} identical line${line.count === 1 ? '' : 's'}\n`)
        : h(
            'span',
            { class: line.kind },
            `${line.kind === 'removed' ? '-' : line.kind === 'added' ? '+' : ' '} ${line.text}\n`,
          ),
    ),
  );

export const machineView: View = (main, app, id) => {
  const path = `/v1/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}`;
  const heading = h('div', { class: 'title' }, h('h1', {}, id));
  const facts = h('dl', { class: 'facts' });
  const policyWord = h(
    'select',
    {
      name: MACHINE_RESTART_SELECT.name,
      'aria-label': MACHINE_RESTART_SELECT.label,
      title: MACHINE_RESTART_SELECT.help,
    },
    ...MACHINE_RESTART_SELECT.words.map((w) => h('option', { value: w }, w)),
  ) as HTMLSelectElement;
  const retries = h('input', {
    type: 'number',
    min: 0,
    max: 1000,
    name: FLY_RESTART_FIELDS.max_retries.apiField,
    class: 'narrow',
    'aria-label': FLY_RESTART_FIELDS.max_retries.label,
  }) as HTMLInputElement;
  const retriesLabel = h(
    'label',
    { title: FLY_RESTART_FIELDS.max_retries.help },
    `${FLY_RESTART_FIELDS.max_retries.label} `,
    retries,
  );
  const problem = h('p', { class: 'problem', role: 'alert' });
  let current: Machine | null = null;
  let formFilled = false;

  const chosenRestart = (): RestartConfig =>
    policyWord.value === 'on-failure'
      ? { policy: 'on-failure', max_retries: Number(retries.value || FLY_RESTART_FIELDS.max_retries.default) }
      : { policy: policyWord.value as RestartConfig['policy'] };
  policyWord.addEventListener('change', () => (retriesLabel.hidden = policyWord.value !== 'on-failure'));

  const review = async (event: Event) => {
    event.preventDefault();
    problem.textContent = '';
    const machine = await api<Machine>('GET', path);
    const next = { ...machine.config, restart: chosenRestart() };
    const lines = diffLines(JSON.stringify(machine.config, null, 2), JSON.stringify(next, null, 2));
    if (!lines.some((l) => l.kind === 'added' || l.kind === 'removed'))
      return void (problem.textContent = 'No config changes found.');
    const details = h(
      'div',
      {},
      h('p', {}, `Configuration changes to be applied to machine: ${machine.id} (${machine.name})`),
      diffView(lines),
    );
    if (!(await confirmDialog('Apply changes?', details, 'Apply'))) return;
    try {
      await api('POST', path, { config: next, skip_launch: true });
      toast(`Restart policy set to ${describeRestart(next.restart)}`);
      await load();
    } catch (error) {
      problem.textContent = messageOf(error);
    }
  };

  const act = (label: string, method: string, suffix: string) => () =>
    runAction(label, () => api(method, `${path}${suffix}`), load);

  const load = async () => {
    const m = await api<Machine>('GET', path);
    current = m;
    show(heading, h('h1', {}, `${m.name} (${m.id})`), stateBadge(m.state));
    show(
      facts,
      ...(
        [
          ['App', m.app],
          ['Image', m.config.image],
          ['Restart policy', describeRestart(m.config.restart)],
          ['Restarts', String(m.restarts)],
          ['Instance', m.instance_id],
        ] as const
      ).flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
    );
    if (!formFilled) {
      policyWord.value = m.config.restart.policy;
      retries.value = String(m.config.restart.max_retries ?? FLY_RESTART_FIELDS.max_retries.default);
      retriesLabel.hidden = policyWord.value !== 'on-failure';
      formFilled = true;
    }
  };

  show(
    main,
    heading,
    facts,
    h('h2', {}, 'Restart policy'),
    h(
      'form',
      { class: 'inline', onsubmit: review },
      h('label', {}, 'Policy ', policyWord),
      retriesLabel,
      h('button', { type: 'submit', class: 'primary' }, 'Review change'),
    ),
    problem,
    h(
      'section',
      { class: 'actions', 'aria-label': 'Actions' },
      h('button', { onclick: act('Start', 'POST', '/start') }, 'Start'),
      h('button', { onclick: act('Stop', 'POST', '/stop') }, 'Stop'),
      h('button', { onclick: act('Restart', 'POST', '/restart') }, 'Restart'),
      h(
        'button',
        {
          class: 'danger',
          onclick: async () => {
            if (
              await confirmDialog(
                `Destroy ${current?.name ?? id}?`,
                h('p', {}, 'A started machine is killed first.'),
                'Destroy',
              )
            )
              await act('Destroy', 'DELETE', '?force=true')();
          },
        },
        'Destroy',
      ),
    ),
  );
  return refreshing(load, (workloadId) => workloadId === id);
};
