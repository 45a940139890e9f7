/**
 * The swarm's JSON (services, tasks, nodes), checked where it enters svc, as docker-json.ts does
 * for containers: a missing or mistyped field is an error naming it.
 */
import type { SwarmNode, SwarmService, SwarmTask } from '../engine/ports/swarm-client.js';
import { isNumber, isObject, isString, requiredField, stringRecord, type Json } from './json-checks.js';

const need = requiredField('docker swarm');
const objectAt = (object: Json, name: string): Json => (isObject(object[name]) ? (object[name] as Json) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter(isString) : []);

const jsonArray = (stdout: string, what: string): Json[] => {
  if (!stdout.trim()) return [];
  const parsed: unknown = JSON.parse(stdout);
  if (!Array.isArray(parsed)) throw new Error(`docker ${what}: expected a JSON array`);
  return parsed.map((entry) => {
    if (!isObject(entry)) throw new Error(`docker ${what}: expected objects`);
    return entry;
  });
};

export const parseServiceInspect = (stdout: string): SwarmService[] =>
  jsonArray(stdout, 'service inspect').map((entry) => {
    const spec = need(entry, 'Spec', isObject, 'service');
    const template = objectAt(spec, 'TaskTemplate');
    const container = objectAt(template, 'ContainerSpec');
    const limits = objectAt(objectAt(template, 'Resources'), 'Limits');
    const replicated = objectAt(objectAt(spec, 'Mode'), 'Replicated');
    return {
      id: need(entry, 'ID', isString, 'service'),
      name: need(spec, 'Name', isString, 'Spec'),
      labels: stringRecord(spec.Labels),
      image: need(container, 'Image', isString, 'ContainerSpec'),
      command: strings(container.Command),
      args: strings(container.Args),
      env: strings(container.Env),
      memoryBytes: isNumber(limits.MemoryBytes) && limits.MemoryBytes > 0 ? limits.MemoryBytes : null,
      replicas: isNumber(replicated.Replicas) ? replicated.Replicas : 0,
      createdAt: isString(entry.CreatedAt) ? entry.CreatedAt : '',
      updatedAt: isString(entry.UpdatedAt) ? entry.UpdatedAt : '',
    };
  });

export const parseTaskInspect = (stdout: string): SwarmTask[] =>
  jsonArray(stdout, 'inspect (tasks)').map((entry) => {
    const status = need(entry, 'Status', isObject, 'task');
    const containerStatus = objectAt(status, 'ContainerStatus');
    return {
      id: need(entry, 'ID', isString, 'task'),
      serviceId: need(entry, 'ServiceID', isString, 'task'),
      slot: isNumber(entry.Slot) ? entry.Slot : 0,
      nodeId: isString(entry.NodeID) ? entry.NodeID : '',
      state: need(status, 'State', isString, 'Status'),
      desiredState: isString(entry.DesiredState) ? entry.DesiredState : '',
      time: Date.parse(isString(status.Timestamp) ? status.Timestamp : '') || 0,
      createdAt: Date.parse(isString(entry.CreatedAt) ? entry.CreatedAt : '') || 0,
      containerId:
        isString(containerStatus.ContainerID) && containerStatus.ContainerID ? containerStatus.ContainerID : null,
      exitCode: isNumber(containerStatus.ExitCode) && status.State !== 'running' ? containerStatus.ExitCode : null,
      error: isString(status.Err) ? status.Err : '',
      spec: JSON.stringify(entry.Spec ?? null),
    };
  });

/** `docker node ls --format '{{json .}}'`: one JSON object a line. */
export const parseNodeList = (stdout: string): SwarmNode[] =>
  stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const entry: unknown = JSON.parse(line);
      if (!isObject(entry)) throw new Error('docker node ls: expected JSON objects');
      return {
        id: need(entry, 'ID', isString, 'node'),
        hostname: need(entry, 'Hostname', isString, 'node'),
        status: isString(entry.Status) ? entry.Status : '',
        availability: isString(entry.Availability) ? entry.Availability : '',
      };
    });
