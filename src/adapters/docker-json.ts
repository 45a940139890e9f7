/**
 * Docker's JSON, checked where it enters svc: a field missing or of another type (a different
 * engine version, a broken pipe) is a clear error naming it, never an `undefined` met later.
 */
import type { ContainerDetails, ContainerEvent } from '../engine/ports/runtime.js';
import { isBoolean, isNumber, isObject, isString, requiredField, stringRecord } from './json-checks.js';

const field = requiredField('docker inspect');

/** `docker inspect --type=container` output: a JSON array of container documents. */
export const parseContainerInspect = (stdout: string): ContainerDetails[] => {
  if (!stdout.trim()) return [];
  const parsed: unknown = JSON.parse(stdout);
  if (!Array.isArray(parsed)) throw new Error('docker inspect: expected a JSON array');
  return parsed.map((entry: unknown) => {
    if (!isObject(entry)) throw new Error('docker inspect: expected a container object');
    const state = field(entry, 'State', isObject, 'container');
    const config = isObject(entry.Config) ? entry.Config : {};
    return {
      id: field(entry, 'Id', isString, 'container'),
      name: field(entry, 'Name', isString, 'container').replace(/^\//, ''),
      labels: stringRecord(config.Labels),
      status: field(state, 'Status', isString, 'State'),
      running: field(state, 'Running', isBoolean, 'State'),
      exitCode: field(state, 'ExitCode', isNumber, 'State'),
      oomKilled: field(state, 'OOMKilled', isBoolean, 'State'),
      startedAt: field(state, 'StartedAt', isString, 'State'),
      finishedAt: field(state, 'FinishedAt', isString, 'State'),
      // Older engines leave it out when there is none.
      error: isString(state.Error) ? state.Error : '',
    };
  });
};

/**
 * One line of `docker events --format '{{json .}}'`, or null for a line that is not a container
 * event svc can use (the reconcile pass catches anything an unreadable line hid).
 */
export const parseContainerEvent = (line: string): ContainerEvent | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(parsed) || !isObject(parsed.Actor)) return null;
  const action = isString(parsed.Action) ? parsed.Action : parsed.status;
  const containerId = parsed.Actor.ID;
  if (!isString(action) || !isString(containerId) || !isNumber(parsed.timeNano)) return null;
  const attributes = stringRecord(parsed.Actor.Attributes);
  const exitCode = action === 'die' && /^-?\d+$/.test(attributes.exitCode ?? '') ? Number(attributes.exitCode) : null;
  return { action, containerId, attributes, exitCode, time: Math.floor(parsed.timeNano / 1e6) };
};
