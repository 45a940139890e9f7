import { checkFlyName, randomMachineName } from '../../src/core/machineNames.js';
import { UserError } from '../../src/errors.js';

describe('randomMachineName', () => {
  it('is two words and a four-digit number, like Fly machine names', () => {
    for (let i = 0; i < 50; i++) expect(randomMachineName()).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
  });

  it('is decided by the random source alone', () => {
    const sequence =
      (...values: number[]) =>
      () =>
        values.shift() ?? 0;
    expect(randomMachineName(sequence(0, 0, 0))).toBe('ancient-bird-1000');
    expect(randomMachineName(sequence(0.9999, 0.9999, 0.9999))).toBe('young-wood-9999');
  });
});

describe('checkFlyName', () => {
  it.each(['web', 'my-app', 'a.b_c', 'X1'])('accepts %s', (name) =>
    expect(checkFlyName('app name', '-a/--app', name)).toBe(name),
  );

  it('takes the same 63 characters as a service name, and no more', () => {
    expect(checkFlyName('app name', '-a/--app', 'a'.repeat(63))).toBe('a'.repeat(63));
    expect(() => checkFlyName('app name', '-a/--app', 'a'.repeat(64))).toThrow(/at most 63 characters/);
    expect(() => checkFlyName('process group', 'fly_process_group', 'g'.repeat(64))).toThrow(/fly_process_group/);
  });

  it.each(['', '-lead', 'has space', 'slash/name', '../../etc', '<img src=x onerror=alert(1)>'])(
    'refuses %j as a usage error naming the flag',
    (name) => {
      expect(() => checkFlyName('machine name', '-n/--name', name)).toThrow(UserError);
      try {
        checkFlyName('machine name', '-n/--name', name);
      } catch (error) {
        expect((error as UserError).kind).toBe('usage');
        expect((error as UserError).message).toContain('-n/--name');
      }
    },
  );
});
