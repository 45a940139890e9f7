/** `service logs [-f] [-t N] ID`: every container's output, each line prefixed with its container name. */
import type { Context } from '../../context.js';
import { resolveWorkload } from '../resolve.js';

export const serviceLogs = async (ctx: Context, identifier: string, flags: { follow?: boolean; tail?: number }) => {
  const workload = resolveWorkload(ctx, 'service', identifier);
  const instances = workload.instances.filter((i) => i.containerId !== null);
  const prefixWidth = Math.max(0, ...instances.map((i) => i.containerName.length));
  const streams = instances.map((instance) =>
    ctx.docker.logs(instance.containerId!, { follow: flags.follow ?? false, tail: flags.tail ?? null }, (line) =>
      ctx.io.stdout.write(`${instance.containerName.padEnd(prefixWidth)} | ${line}\n`),
    ),
  );
  const stopAll = () => streams.forEach((s) => s.stop());
  process.once('SIGINT', stopAll);
  try {
    await Promise.all(streams.map((s) => s.done));
  } finally {
    process.off('SIGINT', stopAll);
  }
};
