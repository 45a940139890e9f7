/**
 * `swarm-in-use` in the state dir: a swarm workload was made from here, so svc lists the swarm's
 * workloads with the local ones from then on, without SVC_BACKEND=swarm. Remove the file to stop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createFileOnce, ensurePrivateDir } from './private-files.js';
import type { BackendName } from '../core/workload.js';

const MARKER = 'swarm-in-use';
const TEXT =
  "svc made a swarm workload from this state dir: it lists the swarm's workloads too. Remove this file to stop.\n";

export const swarmMarker = (stateDir: string) => {
  const file = path.join(stateDir, MARKER);
  return {
    exists: () => fs.existsSync(file),
    /** Best effort: without it, the user can still list swarm workloads with SVC_BACKEND=swarm. */
    write: () => {
      try {
        ensurePrivateDir(stateDir);
        if (!fs.existsSync(file)) createFileOnce(file, TEXT);
      } catch {
        // see above
      }
    },
  };
};

/** Whether listings include the swarm's workloads: SVC_BACKEND=swarm, or the marker in the state dir. */
export const swarmInUse = (settings: { backend: BackendName; stateDir: string }): boolean =>
  settings.backend === 'swarm' || swarmMarker(settings.stateDir).exists();
