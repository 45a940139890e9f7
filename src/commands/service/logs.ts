/**
 * `service logs [-f] [-t N] ID`: every instance's output, each line prefixed with its container (or
 * task) name; the instances' stderr lines on svc's stderr. An instance that cannot be shown is named
 * on stderr and makes the exit 1 once the others are shown; Docker unreachable is exit 4 (from the adapter).
 * Ctrl-C needs nothing here: cli.ts ends the process, and the docker adapter its `docker logs` children.
 */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import { readServiceLogs } from '../../operations/logs.js';

export const serviceLogs = async (ctx: Context, identifier: string, flags: Flags<{ follow: boolean; tail: number }>) =>
  readServiceLogs(
    ctx,
    identifier,
    { follow: flags.follow ?? false, tail: flags.tail ?? null },
    {
      line: (text, from) => (from === 'stderr' ? ctx.io.stderr : ctx.io.stdout).write(`${text}\n`),
      problem: (message) => ctx.io.stderr.write(`${message}\n`),
    },
  );
