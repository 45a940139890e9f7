import { CONTAINER_STATES, SERVICE_STATES, stateNamed } from '../../src/core/states.js';

describe('stateNamed', () => {
  test.each([
    ['its own spelling', 'Running', 'Running'],
    ['lower case', 'stopped', 'Stopped'],
    ['a two-word state in upper case', 'PARTLY RUNNING', 'Partly running'],
    ['surrounding spaces', ' not running ', 'Not running'],
  ])('finds a service state from %s', (_what, word, expected) => {
    expect(stateNamed(SERVICE_STATES, word)).toBe(expected);
  });

  test.each([
    ['a misspelling', 'Runing'],
    ['a prefix', 'Run'],
    ["Docker's own word", 'exited'],
    ['nothing', ''],
  ])('finds no state for %s', (_what, word) => {
    expect(stateNamed(SERVICE_STATES, word)).toBeUndefined();
  });

  it('keeps service-only states out of the container states', () => {
    expect(stateNamed(CONTAINER_STATES, 'Partly running')).toBeUndefined();
    expect(stateNamed(CONTAINER_STATES, 'terminated')).toBe('Terminated');
  });
});
