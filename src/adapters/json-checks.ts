/**
 * The checks docker's JSON goes through where it enters svc (docker-json.ts for containers,
 * swarm-json.ts for the swarm): a field missing or of another type is an error naming it.
 */
import { isObject } from '../core/isObject.js';

export type Json = Record<string, unknown>;

export { isObject };
export const isString = (value: unknown): value is string => typeof value === 'string';
export const isNumber = (value: unknown): value is number => typeof value === 'number';
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** The string values of an object (labels); anything else is left out. */
export const stringRecord = (value: unknown): Record<string, string> =>
  isObject(value)
    ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => isString(entry[1])))
    : {};

/** A reader of required fields whose errors start with `source` (the docker command the JSON came from). */
export const requiredField =
  (source: string) =>
  <T>(object: Json, name: string, check: (value: unknown) => value is T, what: string): T => {
    const value = object[name];
    if (!check(value)) throw new Error(`${source}: ${what}.${name} is missing or not the expected type`);
    return value;
  };
