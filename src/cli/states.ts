/** `-s/--status` of `service ps` and `container ps`: a state that does not exist is a usage error, not an empty list. */
import { Option } from '@commander-js/extra-typings';
import { stateNamed } from '../core/states.js';
import { usageError } from '../errors.js';

export const stateOption = <S extends string>(states: readonly S[], listed: string) =>
  new Option('-s, --status <state>', `only ${listed} in this state (case-insensitive): ${states.join(', ')}`).argParser(
    (word: string): S => {
      const state = stateNamed(states, word);
      if (state === undefined)
        throw usageError(`Invalid state '${word}' for -s/--status: expected one of ${states.join(', ')}`);
      return state;
    },
  );
