/**
 * The one rule for every name svc takes, whichever way it came in (flags, fly.toml, an API body, the
 * web page): Docker's container-name characters, at most MAX_NAME_LENGTH of them. A service's
 * containers are `<name>-<n>` and a machine's `<app>-<name>`, both still names Docker takes. Pure.
 */
import { MAX_NAME_LENGTH } from './limits.js';

/** Also the APIs' JSON-schema pattern (its source), so that a 400 and a usage error agree. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export const NAME_RULE = `use letters, digits, '.', '_' and '-', starting with a letter or digit, at most ${MAX_NAME_LENGTH} characters`;

/** The JSON schema of a name field, for the APIs. */
export const nameSchema = { type: 'string', maxLength: MAX_NAME_LENGTH, pattern: NAME_PATTERN.source } as const;

export const isName = (value: string): boolean => value.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(value);

/** A name too long to quote is described by its length: the message stays readable. */
export const quotedName = (value: string): string =>
  value.length <= MAX_NAME_LENGTH ? `'${value}'` : `'${value.slice(0, 20)}...' (${value.length} characters)`;
