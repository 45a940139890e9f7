/**
 * Whole numbers given on the command line. Each has an upper bound, so a typo such as
 * `-t 99999999999999999999` is a usage error naming the range, never minutes of work or a V8 abort.
 */
import { usageError } from '../errors.js';

export { MAX_MEMORY_MB, MIN_MEMORY_MB } from '../core/limits.js';
/** More lines than any log keeps; a larger number can only be a typo. */
export const MAX_TAIL_LINES = 1_000_000_000;

/** A commander argParser (also usable alone) for a whole number from `min` to `max`, both included. */
export const parseBoundedInt =
  (name: string, min: number, max: number) =>
  (value: string): number => {
    const digits = value.trim();
    // Digits only: Number() would also take '1e3', '0x10', '+5' and ' ', and round past 2^53.
    const number = /^\d+$/.test(digits) ? Number(digits) : NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw usageError(`Invalid value '${value}' for ${name}: expected a whole number from ${min} to ${max}`);
    }
    return number;
  };
