/** `svc events [ID] [--json] [-f]`: every decision, of all workloads or of one. */
import fs from 'node:fs';
import type { Context } from '../context.js';
import type { WorkloadEvent } from '../core/events.js';
import { resolveIdentifier } from '../core/identifiers.js';
import { notFoundError } from '../errors.js';
import { renderTable } from '../render/table.js';
import { isoTime } from '../render/time.js';

const FOLLOW_POLL_MS = 200;

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
  let offset = fs.existsSync(ctx.store.eventsFile) ? fs.statSync(ctx.store.eventsFile).size : 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const size = fs.existsSync(ctx.store.eventsFile) ? fs.statSync(ctx.store.eventsFile).size : 0;
      if (size < offset) offset = 0; // the log was compacted: read it from the start
      if (size === offset) return;
      const fd = fs.openSync(ctx.store.eventsFile, 'r');
      const chunk = Buffer.alloc(size - offset);
      fs.readSync(fd, chunk, 0, chunk.length, offset);
      fs.closeSync(fd);
      const text = chunk.toString('utf8');
      const complete = text.lastIndexOf('\n') + 1;
      offset += Buffer.byteLength(text.slice(0, complete));
      for (const line of text.slice(0, complete).split('\n').filter(Boolean)) {
        try {
          const event = JSON.parse(line) as WorkloadEvent;
          if (mine(event)) print(event);
        } catch {
          // a torn line is skipped, as readEvents does
        }
      }
    }, FOLLOW_POLL_MS);
    process.once('SIGINT', () => {
      clearInterval(timer);
      resolve();
    });
  });
};
