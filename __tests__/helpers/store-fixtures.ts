/** Workload records and state dirs for the state store's tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { servicePolicyFromWords } from '../../src/core/dialects/dockercloud.js';
import { newInstance, STATE_SCHEMA_VERSION, type StateDocument, type Workload } from '../../src/core/workload.js';

/** A valid service record, Not running, with one stopped instance. */
export const workloadRecord = (id: string, overrides: Partial<Workload> = {}): Workload => ({
  id,
  dialect: 'service',
  backend: 'local',
  name: `st-${id}`,
  app: null,
  processGroup: null,
  spec: { image: 'svc-busybox:latest', command: [], entrypoint: null, env: [], memoryMb: null },
  policy: servicePolicyFromWords({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'OFF' }),
  targetInstances: 1,
  intent: 'not-started',
  operation: null,
  instances: [newInstance(1, `st-${id}-1`)],
  createdAt: 0,
  deployedAt: null,
  startedAt: null,
  stoppedAt: null,
  destroyedAt: null,
  ...overrides,
});

export const stateWith = (workloads: Workload[]): StateDocument => ({
  schemaVersion: STATE_SCHEMA_VERSION,
  workloads: Object.fromEntries(workloads.map((w) => [w.id, w])),
});

export const tempStateDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'svc-store-'));

/** Permission bits of a file or dir. */
export const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;
