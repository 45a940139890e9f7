/**
 * Run as a process of its own under `ulimit -n 64` (docker-process.test.ts): uses up its file
 * descriptors, then asks docker once as a call and once as a stream, and prints what each gave.
 * Before, the process died here of an unhandled 'error' event.
 */
import fs from 'node:fs';
import { createDocker } from '../../src/adapters/docker.js';

const held: number[] = [];
try {
  for (;;) held.push(fs.openSync('/dev/null', 'r'));
} catch {
  // EMFILE: the limit is reached.
}
// One free: enough for node's own work, not for the three pipes of a child.
fs.closeSync(held.pop()!);
const docker = createDocker();
const call = await docker.serverVersion().then(
  () => 'answered',
  (error: { kind: string; message: string }) => ({ kind: error.kind, message: error.message }),
);
const stream = await docker.events(null, () => {}).done;
for (const fd of held) fs.closeSync(fd);
// A late 'error' event would end the process here, before anything is printed.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify({ call, stream }));
