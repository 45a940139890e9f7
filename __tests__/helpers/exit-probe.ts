/**
 * Run as a process of its own (docker-process.test.ts), with a fake docker first on PATH whose
 * `hang` ignores SIGTERM: starts a call and a stream that never end, prints their pids, and exits.
 * The docker processes must not outlive it.
 */
import fs from 'node:fs';
import { runDockerProcess, streamDockerProcess } from '../../src/adapters/docker-process.js';

const dockerChildren = () =>
  fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);

void runDockerProcess(['hang'], { deadlineMs: 60_000 }).catch(() => {});
streamDockerProcess(['hang'], () => {});
for (let waited = 0; dockerChildren().length < 2 && waited < 5_000; waited += 20)
  await new Promise((resolve) => setTimeout(resolve, 20));
console.log(JSON.stringify(dockerChildren()));
process.exit(0);
