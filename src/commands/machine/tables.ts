/** The `m list` table and flyctl's config diff; the machine object of --json is in present/fly.ts. */
import type { Palette } from '../../render/colors.js';
import { escapeControls } from '../../render/escape.js';
import { renderTableWithOptionalColumns, type PaintedCell } from '../../render/table.js';
import type { DiffLine } from '../../core/lineDiff.js';
import { flyMachineState } from '../../core/machineState.js';
import type { ObservedWorkload } from '../../engine/observe.js';
import { flyTime, REGION, updatedAt } from '../../present/fly.js';

export const MACHINE_LIST_HEADERS = [
  'ID',
  'NAME',
  'STATE',
  'REGION',
  'IMAGE',
  'APP',
  'PROCESS GROUP',
  'RESTARTS',
  'CREATED',
  'LAST UPDATED',
];

const paintState = (chalk: Palette, state: string): PaintedCell => ({
  text: state,
  paint: (text) =>
    state === 'started'
      ? chalk.green(text)
      : state === 'stopped' || state === 'destroyed'
        ? chalk.red(text)
        : chalk.yellow(text),
});

export const renderMachineTable = (chalk: Palette, machines: ObservedWorkload[]): string =>
  renderTableWithOptionalColumns(
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
    [
      { header: 'BACKEND', cells: machines.map((m) => m.workload.backend) },
      {
        header: 'NODE',
        cells: machines.map((m) => m.instances.find((i) => i.record.intent !== 'removed')?.container?.node ?? ''),
      },
    ],
  );

/** flyctl's layout: two-space context lines, `-` old lines in red, `+` new lines in green. */
export const renderDiff = (chalk: Palette, lines: DiffLine[]): string =>
  lines
    .map((line) => {
      if (line.kind === 'folded')
        return chalk.dim(`  ... // ${line.count} identical line${line.count === 1 ? '' : 's'}`);
      // The config's strings are the user's: escaped before the colour goes on.
      const text = escapeControls(line.text);
      if (line.kind === 'removed') return chalk.red(`- ${text}`);
      if (line.kind === 'added') return chalk.green(`+ ${text}`);
      return `  ${text}`;
    })
    .join('\n') + '\n';
