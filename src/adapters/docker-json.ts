/**
 * Docker's JSON, checked where it enters svc: a field missing or of another type (a different
 * engine version, a broken pipe) is a clear error naming it, never an `undefined` met later.
 */
import type { ContainerDetails, ContainerEvent } from '../engine/runtime.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const field = <T>(object: Json, name: string, check: (value: unknown) => value is T, what: string): T => {
  const value = object[name];
  if (!check(value)) throw new Error(`docker inspect: ${what}.${name} is missing or not the expected type`);
  return value;
};

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

const stringRecord = (value: unknown): Record<string, string> =>
  isObject(value) ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => isString(entry[1]))) : {};

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
