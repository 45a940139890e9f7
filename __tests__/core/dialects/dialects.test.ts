import {
  type AutodestroyWord,
  type AutoreplaceWord,
  type AutorestartWord,
  parseAutodestroy,
  parseAutoreplace,
  parseAutorestart,
  servicePolicyFromWords,
  servicePolicyToWords,
  type ServicePolicyWords,
} from '../../../src/core/dialects/dockercloud.js';
import {
  type FlyRestartConfig,
  machinePolicyFromConfig,
  machinePolicyToConfig,
  parseFlyCliRestart,
} from '../../../src/core/dialects/fly.js';
import {
  conflictsAlwaysWithDestroy,
  type DestroyMode,
  MINUTE,
  type RestartMode,
  type RestartPolicy,
} from '../../../src/core/policy.js';
import { userErrorOf } from '../../helpers/errors.js';

const TUTUM_RESTART_BUDGET = { max: 3, windowMs: 1 * MINUTE };
const TUTUM_REPLACE_BUDGET = { max: 3, windowMs: 5 * MINUTE };

describe('Docker Cloud / Tutum words', () => {
  describe.each([
    ['--autorestart', parseAutorestart, ['OFF', 'ON_FAILURE', 'ALWAYS']],
    ['--autoreplace', parseAutoreplace, ['OFF', 'ON_FAILURE', 'ALWAYS']],
    ['--autodestroy', parseAutodestroy, ['OFF', 'ON_SUCCESS', 'ALWAYS']],
  ] as const)('%s', (flag, parse, words) => {
    test.each(words.flatMap((word) => [word, word.toLowerCase(), word[0] + word.slice(1).toLowerCase()]))(
      'reads %p case-insensitively',
      (input) => {
        expect(parse(input)).toBe(input.toUpperCase());
      },
    );

    test.each(['', 'on', 'true', 'ON-FAILURE', 'NEVER', 'yes'])(
      'refuses %p with exit 2 listing the valid words',
      (input) => {
        const error = userErrorOf(() => parse(input));
        expect(error.kind).toBe('usage');
        expect(error.message).toContain(flag);
        expect(error.message).toContain(`'${input}'`);
        expect(error.message).toContain(words.join(', '));
      },
    );
  });
});

describe('servicePolicyFromWords', () => {
  const words = (over: Partial<ServicePolicyWords> = {}): ServicePolicyWords => ({
    autorestart: 'OFF',
    autoreplace: 'OFF',
    autodestroy: 'OFF',
    ...over,
  });

  test.each<[AutorestartWord, RestartMode]>([
    ['OFF', 'never'],
    ['ON_FAILURE', 'on-failure'],
    ['ALWAYS', 'always'],
  ])('autorestart %s alone -> mode %s, unlimited, no replace (DC: tries until it succeeds)', (word, mode) => {
    expect(servicePolicyFromWords(words({ autorestart: word }))).toEqual<RestartPolicy>({
      mode,
      budget: null,
      replace: null,
      destroy: 'off',
    });
  });

  test.each<[AutodestroyWord, DestroyMode]>([
    ['OFF', 'off'],
    ['ON_SUCCESS', 'on-success'],
    ['ALWAYS', 'always'],
  ])('autodestroy %s -> destroy %s', (word, destroy) => {
    expect(servicePolicyFromWords(words({ autorestart: 'ON_FAILURE', autodestroy: word })).destroy).toBe(destroy);
  });

  test.each<[AutorestartWord, AutoreplaceWord, RestartMode, RestartMode]>([
    ['OFF', 'ON_FAILURE', 'never', 'on-failure'],
    ['ON_FAILURE', 'ON_FAILURE', 'on-failure', 'on-failure'],
    ['ON_FAILURE', 'ALWAYS', 'on-failure', 'always'],
    ['ALWAYS', 'ON_FAILURE', 'always', 'on-failure'],
    ['ALWAYS', 'ALWAYS', 'always', 'always'],
  ])(
    'autorestart %s + autoreplace %s -> restarts 3 in 60 s, then replace (%s / %s) 3 in 300 s',
    (autorestart, autoreplace, mode, replaceMode) => {
      expect(servicePolicyFromWords(words({ autorestart, autoreplace }))).toEqual<RestartPolicy>({
        mode,
        budget: TUTUM_RESTART_BUDGET,
        replace: { mode: replaceMode, budget: TUTUM_REPLACE_BUDGET },
        destroy: 'off',
      });
    },
  );

  test('each policy gets its own budget objects (changing one leaves the shared constants alone)', () => {
    const first = servicePolicyFromWords(words({ autoreplace: 'ALWAYS' }));
    first.budget!.max = 99;
    first.replace!.budget.max = 99;
    const second = servicePolicyFromWords(words({ autoreplace: 'ALWAYS' }));
    expect(second.budget).toEqual(TUTUM_RESTART_BUDGET);
    expect(second.replace!.budget).toEqual(TUTUM_REPLACE_BUDGET);
  });

  const ALL_COMBINATIONS: ServicePolicyWords[] = (['OFF', 'ON_FAILURE', 'ALWAYS'] as const).flatMap((autorestart) =>
    (['OFF', 'ON_FAILURE', 'ALWAYS'] as const).flatMap((autoreplace) =>
      (['OFF', 'ON_SUCCESS', 'ALWAYS'] as const).map((autodestroy) => ({ autorestart, autoreplace, autodestroy })),
    ),
  );

  test.each(ALL_COMBINATIONS)('round trip through the canonical policy: %o', (combination) => {
    expect(servicePolicyToWords(servicePolicyFromWords(combination))).toEqual(combination);
  });
});

describe('servicePolicyToWords on policies written by other dialects', () => {
  test('a Fly on-failure policy with a retry budget reads as ON_FAILURE without autoreplace', () => {
    expect(servicePolicyToWords(machinePolicyFromConfig({ policy: 'on-failure', max_retries: 5 }, true))).toEqual({
      autorestart: 'ON_FAILURE',
      autoreplace: 'OFF',
      autodestroy: 'ALWAYS',
    });
  });
});

describe('Fly --restart', () => {
  test.each([
    ['no', 'no'],
    ['always', 'always'],
    ['on-fail', 'on-failure'],
    ['on-failure', 'on-failure'],
    ['ON-FAIL', 'on-failure'],
    ['Always', 'always'],
  ])('reads %p as the API word %p', (input, expected) => {
    expect(parseFlyCliRestart(input)).toBe(expected);
  });

  test.each(['never', 'on_failure', 'ON_FAILURE', 'yes', 'unless-stopped', ''])(
    'refuses %p with exit 2 listing the valid words',
    (input) => {
      const error = userErrorOf(() => parseFlyCliRestart(input));
      expect(error.kind).toBe('usage');
      expect(error.message).toContain('--restart');
      expect(error.message).toContain('no, always, on-fail, on-failure');
    },
  );
});

describe('machinePolicyFromConfig / machinePolicyToConfig', () => {
  const FIVE_MINUTES = 5 * MINUTE;

  test.each<[FlyRestartConfig, RestartPolicy]>([
    [{ policy: 'no' }, { mode: 'never', budget: null, replace: null, destroy: 'off' }],
    [{ policy: 'always' }, { mode: 'always', budget: null, replace: null, destroy: 'off' }],
    [
      { policy: 'on-failure' },
      { mode: 'on-failure', budget: { max: 10, windowMs: FIVE_MINUTES }, replace: null, destroy: 'off' },
    ],
    [
      { policy: 'on-failure', max_retries: 3 },
      { mode: 'on-failure', budget: { max: 3, windowMs: FIVE_MINUTES }, replace: null, destroy: 'off' },
    ],
    [
      { policy: 'on-failure', max_retries: 0 },
      { mode: 'on-failure', budget: { max: 0, windowMs: FIVE_MINUTES }, replace: null, destroy: 'off' },
    ],
  ])('%o -> %o', (config, policy) => {
    expect(machinePolicyFromConfig(config)).toEqual(policy);
  });

  test('--rm destroys always and keeps the restart mode it was given', () => {
    expect(machinePolicyFromConfig({ policy: 'no' }, true)).toEqual<RestartPolicy>({
      mode: 'never',
      budget: null,
      replace: null,
      destroy: 'always',
    });
    expect(machinePolicyFromConfig({ policy: 'on-failure' }, true).destroy).toBe('always');
  });

  test.each<FlyRestartConfig>([
    { policy: 'no' },
    { policy: 'always' },
    { policy: 'on-failure', max_retries: 10 },
    { policy: 'on-failure', max_retries: 1 },
    { policy: 'on-failure', max_retries: 0 },
  ])('round trip: %o', (config) => {
    expect(machinePolicyToConfig(machinePolicyFromConfig(config))).toEqual(config);
  });

  test('on-failure without max_retries reads back with the default of 10', () => {
    expect(machinePolicyToConfig(machinePolicyFromConfig({ policy: 'on-failure' }))).toEqual({
      policy: 'on-failure',
      max_retries: 10,
    });
  });

  test('an unlimited on-failure policy (from the DC dialect) shows the Fly default of 10', () => {
    expect(machinePolicyToConfig({ mode: 'on-failure', budget: null, replace: null, destroy: 'off' })).toEqual({
      policy: 'on-failure',
      max_retries: 10,
    });
  });
});

describe('conflictsAlwaysWithDestroy', () => {
  test.each<[RestartMode, DestroyMode, boolean]>([
    ['always', 'off', false],
    ['always', 'on-success', true],
    ['always', 'always', true],
    ['on-failure', 'off', false],
    ['on-failure', 'on-success', false],
    ['on-failure', 'always', false],
    ['never', 'off', false],
    ['never', 'on-success', false],
    ['never', 'always', false],
  ])('mode %s with destroy %s -> %p', (mode, destroy, conflicts) => {
    expect(conflictsAlwaysWithDestroy({ mode, destroy })).toBe(conflicts);
  });

  test('the dialects produce the conflicting policy the engine must refuse', () => {
    expect(
      conflictsAlwaysWithDestroy(
        servicePolicyFromWords({ autorestart: 'ALWAYS', autoreplace: 'OFF', autodestroy: 'ON_SUCCESS' }),
      ),
    ).toBe(true);
    expect(conflictsAlwaysWithDestroy(machinePolicyFromConfig({ policy: 'always' }, true))).toBe(true);
    expect(conflictsAlwaysWithDestroy(machinePolicyFromConfig({ policy: 'no' }, true))).toBe(false);
  });
});
