/** `svc events [ID] [--json] [-f]`: every decision, of all workloads or of one. */
import type { Flags } from './flags.js';
import type { Context } from '../context.js';
import type { WorkloadEvent } from '../core/events.js';
import { eventQuery, followEvents, listEvents } from '../operations/events.js';
import { escapeControls } from '../render/escape.js';
import { renderTable } from '../render/table.js';
import { isoTime } from '../render/time.js';
import { eventObject } from '../present/events.js';

const HEADERS = ['TIME', 'NAME', '#', 'ACTION', 'EXIT', 'OOM', 'SOURCE', 'REASON'];
const row = (e: WorkloadEvent) => [
  isoTime(e.time) ?? '',
  e.workloadName,
  e.instance === null ? '' : String(e.instance),
  e.action,
  e.exitCode === null ? '' : String(e.exitCode),
  e.oomKilled === null ? '' : String(e.oomKilled),
  e.source,
  e.reason,
];

export const showEvents = async (
  ctx: Context,
  identifier: string | undefined,
  flags: Flags<{ json: boolean; follow: boolean }>,
) => {
  const query = await eventQuery(ctx, identifier);
  const events = await listEvents(ctx, query);
  if (!flags.follow) {
    if (flags.json) return void ctx.io.stdout.write(JSON.stringify(events.map(eventObject), null, 2) + '\n');
    return void ctx.io.stdout.write(renderTable(HEADERS, events.map(row)));
  }
  // Following prints one line per event as it is appended (JSON lines with --json).
  const print = (e: WorkloadEvent) =>
    ctx.io.stdout.write(
      flags.json ? JSON.stringify(eventObject(e)) + '\n' : row(e).map(escapeControls).join('  ') + '\n',
    );
  events.forEach(print);
  followEvents(ctx, query, print);
  // Until Ctrl-C or SIGTERM, which end the command with 130/143 (see signals.ts).
  await new Promise<never>(() => {});
};
