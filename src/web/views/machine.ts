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
import { describeRestart } from './machines.js';
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
    { name: 'policy', 'aria-label': 'Restart policy' },
    ...['no', 'always', 'on-failure'].map((w) => h('option', { value: w }, w)),
  ) as HTMLSelectElement;
  const retries = h('input', {
    type: 'number',
    min: 0,
    max: 1000,
    name: 'max_retries',
    class: 'narrow',
    'aria-label': 'Max retries',
  }) as HTMLInputElement;
  const retriesLabel = h('label', {}, 'Max retries ', retries);
  const problem = h('p', { class: 'problem', role: 'alert' });
  let current: Machine | null = null;
  let formFilled = false;

  const chosenRestart = (): RestartConfig =>
    policyWord.value === 'on-failure'
      ? { policy: 'on-failure', max_retries: Number(retries.value || 10) }
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
      retries.value = String(m.config.restart.max_retries ?? 10);
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
