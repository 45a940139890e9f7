/**
 * The files of a state dir, and state.json read and checked, apart from the lock: the store's read
 * and update take the lock (store.ts) and parse the file here. Reading never changes a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateFileError, StateFileMissingError, StateFromNewerSvcError } from '../errors.js';
import { upgradeState } from '../core/migrate.js';
import { checkStateShape } from '../core/stateShape.js';
import { STATE_SCHEMA_VERSION, type StateDocument } from '../core/workload.js';

export interface StateFiles {
  dir: string;
  stateFile: string;
  eventsFile: string;
  /**
   * Written with the first state write: a state dir that has it has had a state.json, so a missing
   * one was lost (deleted, a restore gone wrong), not never made.
   */
  markerFile: string;
  lockPath: string;
}

export const stateFilesIn = (stateDir: string): StateFiles => {
  const dir = path.resolve(stateDir);
  return {
    dir,
    stateFile: path.join(dir, 'state.json'),
    eventsFile: path.join(dir, 'events.jsonl'),
    markerFile: path.join(dir, 'state.written'),
    lockPath: path.join(dir, 'state.lock'),
  };
};

export const emptyState = (): StateDocument => ({ schemaVersion: STATE_SCHEMA_VERSION, workloads: {} });

/**
 * The state at the current schema version, and whether the file holds an older one (the store
 * writes the upgrade back). A file that is not a state is an error, never an empty state.
 */
export const readStateFile = ({ stateFile, markerFile }: StateFiles): { state: StateDocument; older: boolean } => {
  let text: string;
  try {
    text = fs.readFileSync(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new StateFileError(stateFile, (error as Error).message, undefined, error);
    if (fs.existsSync(markerFile)) throw new StateFileMissingError(stateFile, markerFile);
    return { state: emptyState(), older: false };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(stateFile, text.trim() === '' ? 'it is empty' : (error as Error).message);
  }
  const shape = checkStateShape(raw);
  if (!shape.ok)
    throw shape.newer
      ? new StateFromNewerSvcError(stateFile, shape.problem)
      : new StateFileError(stateFile, shape.problem);
  return { state: upgradeState(shape.document), older: shape.document.schemaVersion < STATE_SCHEMA_VERSION };
};
