/** fly.toml's `[[restart]] policy` words; dialects.test.ts covers the CLI words and the policy mapping. */
import { flyTomlPolicyToApiWord } from '../../../src/core/dialects/fly.js';

describe('flyTomlPolicyToApiWord', () => {
  test.each([
    ['never', 'no'],
    ['always', 'always'],
    ['on-failure', 'on-failure'],
    ['NEVER', 'no'],
    ['On-Failure', 'on-failure'],
    [' always ', 'always'],
    ['no', null],
    ['on-fail', null],
    ['on_failure', null],
    ['', null],
  ])('%p -> %p', (word, apiWord) => {
    expect(flyTomlPolicyToApiWord(word)).toBe(apiWord);
  });
});
