/** How machines look to the user: the machine object (--json), the list table, and the config diff. */
import type { ChalkInstance } from 'chalk';
import type { DiffLine } from '../../core/lineDiff.js';
import { machineConfigFor } from '../../core/machineConfig.js';
import { flyMachineState } from '../../core/machineState.js';
import type { Workload } from '../../core/workload.js';
import type { ObservedWorkload } from '../../engine/observe.js';
import { renderTable } from '../../render/table.js';

/** Every machine of svc runs on this one host, which stands in for Fly's region. */
export const REGION = 'local';

/** RFC 3339 without milliseconds, as flyctl's tables print times. */
export const flyTime = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** Fly's updated_at moves with every start, stop and change; svc's last such moment is the closest. */
export const updatedAt = (w: Workload): number =>
  Math.max(w.createdAt, w.deployedAt ?? 0, w.startedAt ?? 0, w.stoppedAt ?? 0, w.destroyedAt ?? 0);

/** Fly's instance id changes with every new VM; a new container plays that part here. */
export const instanceId = (observed: ObservedWorkload): string =>
  observed.instances.find((i) => i.record.intent !== 'removed')?.record.containerId?.slice(0, 12) ??
  observed.instances.at(-1)?.record.containerId?.slice(0, 12) ??
  '';

const imageRef = (image: string) => {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tagged = colon > slash;
  return { repository: tagged ? image.slice(0, colon) : image, tag: tagged ? image.slice(colon + 1) : 'latest' };
};

export const machineObject = (observed: ObservedWorkload) => {
  const { workload } = observed;
  return {
    id: workload.id,
    name: workload.name,
    state: flyMachineState(observed.state),
    region: REGION,
    instance_id: instanceId(observed),
    app: workload.app,
    image_ref: imageRef(workload.spec.image),
    created_at: new Date(workload.createdAt).toISOString(),
    updated_at: new Date(updatedAt(workload)).toISOString(),
    restarts: observed.restarts,
    config: machineConfigFor(workload),
  };
};

export const MACHINE_LIST_HEADERS = ['ID', 'NAME', 'STATE', 'REGION', 'IMAGE', 'APP', 'PROCESS GROUP', 'RESTARTS', 'CREATED', 'LAST UPDATED'];

const paintState = (chalk: ChalkInstance, state: string) =>
  state === 'started' ? chalk.green(state) : state === 'stopped' || state === 'destroyed' ? chalk.red(state) : chalk.yellow(state);

export const renderMachineTable = (chalk: ChalkInstance, machines: ObservedWorkload[]): string =>
  renderTable(
    MACHINE_LIST_HEADERS,
    machines.map((m) => [
      m.workload.id,
      m.workload.name,
      paintState(chalk, flyMachineState(m.state)),
      REGION,
      m.workload.spec.image,
      m.workload.app ?? '',
      m.workload.processGroup ?? '',
      String(m.restarts),
      flyTime(m.workload.createdAt),
      flyTime(updatedAt(m.workload)),
    ]),
  );

/** flyctl's layout: two-space context lines, `-` old lines in red, `+` new lines in green. */
export const renderDiff = (chalk: ChalkInstance, lines: DiffLine[]): string =>
  lines
    .map((line) => {
      if (line.kind === 'folded') return chalk.dim(`  ... // ${line.count} identical line${line.count === 1 ? '' : 's'}`);
      if (line.kind === 'removed') return chalk.red(`- ${line.text}`);
      if (line.kind === 'added') return chalk.green(`+ ${line.text}`);
      return `  ${line.text}`;
    })
    .join('\n') + '\n';
