/** `svc events [ID] [--json] [-f]`: every decision, of all workloads or of one. */
import type { Context } from '../context.js';
import type { WorkloadEvent } from '../core/events.js';
import { resolveIdentifier } from '../core/identifiers.js';
import { notFoundError } from '../errors.js';
import { renderTable } from '../render/table.js';
import { isoTime } from '../render/time.js';

/** An identifier may name a service or a machine. */
const resolveAnyWorkload = (ctx: Context, identifier: string): string => {
  const all = Object.values(ctx.store.read().workloads).map((w) => ({ ...w, live: w.intent !== 'terminated' }));
  const found = resolveIdentifier(identifier, all);
  if (found.ok) return found.item.id;
  throw notFoundError(
    found.error === 'ambiguous'
      ? 'More than one service has the same identifier, please use the long uuid'
      : `Cannot find a service or machine with the identifier '${identifier}'`,
  );
};

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

const asJson = (e: WorkloadEvent) => ({ ...e, time: isoTime(e.time) });

export const listEvents = async (ctx: Context, identifier: string | undefined, flags: { json?: boolean; follow?: boolean }) => {
  const workloadId = identifier === undefined ? undefined : resolveAnyWorkload(ctx, identifier);
  const mine = (e: WorkloadEvent) => workloadId === undefined || e.workloadId === workloadId;
  const events = ctx.store.readEvents().filter(mine);
  if (!flags.follow) {
    if (flags.json) return void ctx.io.stdout.write(JSON.stringify(events.map(asJson), null, 2) + '\n');
    return void ctx.io.stdout.write(renderTable(HEADERS, events.map(row)));
  }
  // Following prints one line per event as it is appended (JSON lines with --json).
  const print = (e: WorkloadEvent) =>
    ctx.io.stdout.write(flags.json ? JSON.stringify(asJson(e)) + '\n' : row(e).join('  ') + '\n');
  events.forEach(print);
  ctx.store.followEvents((event) => mine(event) && print(event));
  // Until Ctrl-C or SIGTERM, which end the command with 130/143 (see cli/signals.ts).
  await new Promise<never>(() => {});
};
