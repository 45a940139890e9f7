/** `m status ID [-d]`: the machine's facts, its event log in Fly's words, and with -d its config. */
import type { Flags } from '../flags.js';
import { quoteShellWords } from '../../core/shellWords.js';
import type { Context } from '../../context.js';
import { describeRestart, formatMachineConfig, machineConfigFor } from '../../core/machineConfig.js';
import { flyEventRows, flyMachineState, type FlyEventRow } from '../../core/machineState.js';
import { escapeControls, escapeControlsInLines } from '../../render/escape.js';
import { renderTable } from '../../render/table.js';
import { workloadEvents } from '../../operations/events.js';
import { observeMachine } from '../../operations/machine.js';
import { flyTime, instanceId, REGION, updatedAt } from '../../present/fly.js';
import { swarmPolicyFields } from '../../present/dockercloud.js';

/** flyctl's vertical table: `  Key = value` with the keys padded to one width. */
const verticalTable = (title: string, pairs: [string, string][]): string => {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return `${title}\n${pairs.map(([key, value]) => `  ${key.padEnd(width)} = ${escapeControls(value)}`.trimEnd()).join('\n')}\n`;
};

const eventRow = (row: FlyEventRow) => [row.state, row.type, row.source, new Date(row.time).toISOString(), row.info];

export const machineStatus = async (ctx: Context, identifier: string, flags: Flags<{ displayConfig: boolean }>) => {
  const observed = await observeMachine(ctx, identifier);
  const { workload } = observed;
  const state = flyMachineState(observed.state);
  const config = machineConfigFor(workload);
  const events = await workloadEvents(ctx, workload.id);
  const out = ctx.io.stdout;
  out.write(`Machine ID: ${workload.id}\nInstance ID: ${instanceId(observed)}\nState: ${state}\n\n`);
  out.write(
    verticalTable('VM', [
      ['ID', workload.id],
      ['Instance ID', instanceId(observed)],
      ['State', state],
      ['Image', workload.spec.image],
      ['Name', workload.name],
      ['App', workload.app ?? ''],
      ['Region', REGION],
      ['Process Group', config.metadata.fly_process_group],
      ['Restart', describeRestart(config.restart)],
      ['Backend', workload.backend],
      ...((swarmPolicyFields(workload).enforced_as ?? []).map((note) => ['Enforced as', note]) as [string, string][]),
      ['Restarts', String(observed.restarts)],
      ...(workload.spec.memoryMb === null ? [] : ([['Memory', `${workload.spec.memoryMb} MB`]] as [string, string][])),
      ['Created', flyTime(workload.createdAt)],
      ['Updated', flyTime(updatedAt(workload))],
      ['Command', quoteShellWords(workload.spec.command)],
    ]),
  );
  out.write(
    `\nEvent Logs\n${renderTable(['STATE', 'EVENT', 'SOURCE', 'TIMESTAMP', 'INFO'], flyEventRows(events).map(eventRow))}`,
  );
  // JSON escapes C0, not C1 or bidi controls.
  if (flags.displayConfig) out.write(`\nConfig:\n${escapeControlsInLines(formatMachineConfig(config))}\n`);
};
