/**
 * Upgrading a state document written by an older svc. Each step takes one schema version to the
 * next and changes nothing else, so a file from any older svc reaches the current version one step
 * at a time, and an upgraded file says exactly what the old one said. The store decides when to
 * write the result (adapters/store.ts); this module only computes it.
 */
import { STATE_SCHEMA_VERSION, type StateDocument } from './workload.js';

/** The oldest schema version svc reads (every svc so far has written 1 or later). */
export const OLDEST_SCHEMA_VERSION = 1;

type StoredWorkloads = Record<string, Record<string, unknown>>;

/** A document as some schema version stored it: its workloads are records of that version's shape. */
export interface StoredDocument {
  schemaVersion: number;
  workloads: StoredWorkloads;
}

const mapWorkloads = (
  workloads: StoredWorkloads,
  change: (workload: Record<string, unknown>) => Record<string, unknown>,
): StoredWorkloads => Object.fromEntries(Object.entries(workloads).map(([id, workload]) => [id, change(workload)]));

/** UPGRADES[n] takes the workloads of version n to version n + 1. */
const UPGRADES: Record<number, (workloads: StoredWorkloads) => StoredWorkloads> = {
  // Schema 2 names each workload's backend; before it there was only this host's supervisor.
  1: (workloads) => mapWorkloads(workloads, (workload) => ({ ...workload, backend: 'local' })),
};

/** Whether svc can bring a document of this version to the current one (a newer svc's is not). */
export const canUpgradeFrom = (schemaVersion: number): boolean =>
  Number.isInteger(schemaVersion) && schemaVersion >= OLDEST_SCHEMA_VERSION && schemaVersion <= STATE_SCHEMA_VERSION;

/**
 * The document at the current schema version. It does not change `document`; a current one comes
 * back as it is. The caller has checked the shape of the version it was written with (stateShape.ts).
 */
export const upgradeState = (document: StoredDocument): StateDocument => {
  if (!canUpgradeFrom(document.schemaVersion))
    throw new Error(`No upgrade from state schema version ${document.schemaVersion}`);
  let { schemaVersion, workloads } = document;
  for (; schemaVersion < STATE_SCHEMA_VERSION; schemaVersion++) {
    const upgrade = UPGRADES[schemaVersion];
    if (!upgrade)
      throw new Error(
        `STATE_SCHEMA_VERSION is ${STATE_SCHEMA_VERSION} but no upgrade from ${schemaVersion} is written`,
      );
    workloads = upgrade(workloads);
  }
  return { ...document, schemaVersion, workloads: workloads as unknown as StateDocument['workloads'] };
};
