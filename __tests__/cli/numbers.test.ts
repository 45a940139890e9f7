import { parseBoundedInt } from '../../src/cli/numbers.js';
import { UserError } from '../../src/errors.js';

const parseTarget = parseBoundedInt('--target-num-containers', 1, 1000);

const refusal = (parse: (value: string) => number, value: string) => {
  try {
    parse(value);
  } catch (error) {
    return error;
  }
  throw new Error(`'${value}' was accepted`);
};

describe('parseBoundedInt', () => {
  test.each([
    ['the lower bound', '1', 1],
    ['the upper bound', '1000', 1000],
    ['a value in between', '40', 40],
    ['leading zeros', '007', 7],
    ['surrounding spaces', ' 3 ', 3],
  ])('accepts %s', (_what, value, expected) => {
    expect(parseTarget(value)).toBe(expected);
  });

  test.each([
    ['one past the upper bound', '1001'],
    ['a number past 2^53', '99999999999999999999'],
    ['a number Number() reads as Infinity', '9'.repeat(400)],
    ['below the lower bound', '0'],
    ['a negative number', '-1'],
    ['a fraction', '1.5'],
    ['an exponent', '1e3'],
    ['hexadecimal', '0x10'],
    ['a sign', '+5'],
    ['an empty string', ''],
    ['a word', 'many'],
  ])('refuses %s as a usage error that names the flag and the range', (_what, value) => {
    const error = refusal(parseTarget, value);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ kind: 'usage' });
    expect((error as UserError).message).toBe(
      `Invalid value '${value}' for --target-num-containers: expected a whole number from 1 to 1000`,
    );
  });

  it('takes 0 as a lower bound (scale to nothing)', () => {
    expect(parseBoundedInt('NUMBER_OF_CONTAINERS', 0, 1000)('0')).toBe(0);
  });
});
