/**
 * The launch wizard, as Docker Cloud's and Tutum's: the image and how to run it, then the Service
 * configuration step with the restart policy and Tutum's Crash recovery switch (autorestart and
 * autoreplace both ALWAYS). The service is created, then started.
 */
import { DEFAULT_SERVICE_POLICY_WORDS } from '../../core/dialects/dockercloud-table.js';
import { MAX_NAME_LENGTH } from '../../core/limits.js';
import { api, messageOf } from '../api.js';
import { h, show } from '../dom.js';
import type { Service } from '../types.js';
import { SERVICE_POLICY_SELECTS } from './policy-fields.js';
import { policySelects } from './service.js';
import type { View } from './view.js';

/** KEY=VALUE lines; blank lines and # comments are skipped. */
const envVars = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`Environment: '${line}' is not KEY=VALUE`);
      return { key: line.slice(0, eq), value: line.slice(eq + 1) };
    });

export const launchView: View = (main) => {
  const problem = h('p', { class: 'problem', role: 'alert' });
  const first = h(
    'fieldset',
    {},
    h('legend', {}, '1. Image and command'),
    h(
      'label',
      {},
      'Image',
      h('input', { name: 'image', required: true, placeholder: 'svc-busybox:latest', autocomplete: 'off' }),
    ),
    h(
      'label',
      {},
      'Service name',
      h('input', { name: 'name', placeholder: 'the image name', autocomplete: 'off', maxlength: MAX_NAME_LENGTH }),
    ),
    h(
      'label',
      {},
      'Containers',
      h('input', { name: 'containers', type: 'number', min: 1, max: 1000, value: 1, class: 'narrow' }),
    ),
    h(
      'label',
      {},
      'Run command',
      h('input', { name: 'command', placeholder: "sh -c 'sleep 5; exit 1'", autocomplete: 'off' }),
    ),
    h('label', {}, 'Environment (KEY=VALUE, one a line)', h('textarea', { name: 'env', rows: 3 })),
  );
  const recovery = h('input', { type: 'checkbox', name: 'crashRecovery', role: 'switch' }) as HTMLInputElement;
  const second = h(
    'fieldset',
    { hidden: true },
    h('legend', {}, '2. Service configuration'),
    h('label', { class: 'switch' }, recovery, ' Crash recovery (restart and replace crashed containers, always)'),
    ...policySelects(DEFAULT_SERVICE_POLICY_WORDS),
  );
  const form = h('form', { class: 'wizard', novalidate: true }, first, second, problem) as HTMLFormElement;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  recovery.addEventListener('change', () => {
    for (const name of ['autorestart', 'autoreplace']) {
      if (recovery.checked) field(name).value = 'ALWAYS';
      field(name).disabled = recovery.checked;
    }
  });
  const next = h('button', { type: 'button', class: 'primary' }, 'Next: Service configuration') as HTMLButtonElement;
  const back = h('button', { type: 'button', hidden: true }, 'Back') as HTMLButtonElement;
  const create = h(
    'button',
    { type: 'submit', class: 'primary', hidden: true },
    'Create and deploy',
  ) as HTMLButtonElement;
  const step = (to: 1 | 2) => {
    first.hidden = to === 2;
    second.hidden = to === 1;
    next.hidden = to === 2;
    back.hidden = create.hidden = to === 1;
    (to === 1 ? field('image') : recovery).focus();
  };
  next.addEventListener('click', () => {
    problem.textContent = '';
    if (!field('image').value.trim()) {
      problem.textContent = 'Give the image to run.';
      return field('image').focus();
    }
    step(2);
  });
  back.addEventListener('click', () => step(1));
  form.append(h('div', { class: 'buttons' }, back, next, create));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.textContent = '';
    create.disabled = true;
    try {
      const body = {
        image: field('image').value.trim(),
        ...(field('name').value.trim() ? { name: field('name').value.trim() } : {}),
        target_num_containers: Number(field('containers').value || 1),
        ...(field('command').value.trim() ? { run_command: field('command').value.trim() } : {}),
        container_envvars: envVars((form.elements.namedItem('env') as HTMLTextAreaElement).value),
        ...Object.fromEntries(SERVICE_POLICY_SELECTS.map(({ name }) => [name, field(name).value])),
      };
      // Created and started in one request, all or nothing: a start Docker refuses leaves no
      // half-made service behind, so the same name can be tried again at once.
      const service = await api<Service>('POST', '/api/app/v1/service/?start=true', body);
      location.hash = `#/service/${service.uuid}`;
    } catch (error) {
      problem.textContent = messageOf(error);
      create.disabled = false;
    }
  });
  show(main, h('h1', {}, 'Launch new service'), form);
  field('image').focus();
  return () => {};
};
