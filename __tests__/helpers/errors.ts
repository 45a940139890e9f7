import { UserError } from '../../src/errors.js';

/** The UserError `run` throws; fails the test when it throws anything else, or nothing. */
export const userErrorOf = (run: () => unknown): UserError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
};
