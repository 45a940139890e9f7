/**
 * Container env as svc hands it to Docker and shows it to people. Docker gets it through an env
 * file, so that no value appears in any process's argv; that format has one KEY=VALUE per line,
 * takes `#` lines as comments and refuses whitespace in names, so what it cannot carry is refused
 * when it comes in rather than written out misread. Pure.
 */
import type { EnvVar } from './workload.js';

/**
 * Shown instead of a value that came from --env-file: a fixed string, so it tells nothing about
 * the value, not even its length. Keys stay visible, as Docker Cloud showed them.
 */
export const SECRET_MASK = '********';

/** Why docker's env file cannot carry this variable as given, or null when it can. */
export const envVarProblem = (key: string, value: string): string | null => {
  if (key === '') return 'the name is empty';
  if (key.includes('\0')) return `the name '${key}' contains a NUL character`;
  if (/\s/.test(key)) return `the name '${key}' contains whitespace`;
  if (key.includes('=')) return `the name '${key}' contains '='`;
  if (key.startsWith('#')) return `the name '${key}' starts with '#', which docker reads as a comment`;
  // The value itself is never quoted back: it may be a secret.
  if (/[\n\r]/.test(value)) return `the value of ${key} contains a line break`;
  if (value.includes('\0')) return `the value of ${key} contains a NUL character`;
  return null;
};

/** The text of a `docker create --env-file`; docker takes everything after the first `=` as the value. */
export const envFileText = (env: readonly EnvVar[]): string =>
  env.map(({ key, value }) => `${key}=${value}\n`).join('');

/** The env as svc shows it: secret values replaced by SECRET_MASK, the `secret` marker itself left out. */
export const maskSecretEnv = (env: readonly EnvVar[]): { key: string; value: string }[] =>
  env.map(({ key, value, secret }) => ({ key, value: secret ? SECRET_MASK : value }));
