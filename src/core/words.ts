import { usageError } from '../errors.js';

/**
 * Reads a policy word case-insensitively against a fixed list.
 * A word outside the list is a usage error (exit 2) that lists the valid words.
 */
export const parseWord = <W extends string>(flag: string, value: string, valid: readonly W[]): W => {
  const found = valid.find((word) => word.toLowerCase() === value.trim().toLowerCase());
  if (found === undefined) {
    throw usageError(`Invalid value '${value}' for ${flag}. Valid values: ${valid.join(', ')}`);
  }
  return found;
};
