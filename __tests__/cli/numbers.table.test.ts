/** The bounds svc's own number flags use: `--memory`, `--tail`; numbers.test.ts covers the parser itself. */
import { MAX_MEMORY_MB, MAX_TAIL_LINES, MIN_MEMORY_MB, parseBoundedInt } from '../../src/cli/numbers.js';
import { UserError } from '../../src/errors.js';

const parseMemory = parseBoundedInt('--memory', MIN_MEMORY_MB, MAX_MEMORY_MB);
const parseTail = parseBoundedInt('--tail', 0, MAX_TAIL_LINES);

describe('--memory and --tail bounds', () => {
  test.each<[string, (value: string) => number, string, number]>([
    ["--memory at Docker's minimum", parseMemory, '6', 6],
    ['--memory at 16 TiB', parseMemory, String(16 * 1024 * 1024), 16 * 1024 * 1024],
    ['--tail 0', parseTail, '0', 0],
    ['--tail at its bound', parseTail, '1000000000', 1_000_000_000],
  ])('accepts %s', (_what, parse, value, expected) => {
    expect(parse(value)).toBe(expected);
  });

  test.each<[string, (value: string) => number, string, string]>([
    [
      "--memory below Docker's minimum",
      parseMemory,
      '5',
      `Invalid value '5' for --memory: expected a whole number from 6 to ${16 * 1024 * 1024}`,
    ],
    [
      '--memory past 16 TiB',
      parseMemory,
      String(16 * 1024 * 1024 + 1),
      `Invalid value '${16 * 1024 * 1024 + 1}' for --memory: expected a whole number from 6 to 16777216`,
    ],
    [
      '--memory with a unit',
      parseMemory,
      '64m',
      "Invalid value '64m' for --memory: expected a whole number from 6 to 16777216",
    ],
    [
      '--tail past its bound',
      parseTail,
      '1000000001',
      "Invalid value '1000000001' for --tail: expected a whole number from 0 to 1000000000",
    ],
    ['--tail all', parseTail, 'all', "Invalid value 'all' for --tail: expected a whole number from 0 to 1000000000"],
  ])('refuses %s as a usage error', (_what, parse, value, message) => {
    let thrown: unknown;
    try {
      parse(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect(thrown).toMatchObject({ kind: 'usage', message });
  });

  test('the largest --memory in bytes is still a safe integer', () => {
    expect(Number.isSafeInteger(MAX_MEMORY_MB * 2 ** 20)).toBe(true);
  });
});
