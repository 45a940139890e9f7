/** Test fixtures that register their own cleanup, so each test file does not repeat it. */
import { afterEach, beforeAll, beforeEach } from '@jest/globals';
import { cleanupContainers, makeStateDir, removeStateDir, requireDocker, svc, uniqueName } from './svc.js';

/**
 * For tests that make state dirs and services as they go: `home()` and `name(prefix)` make them
 * (or push what you made yourself); after each test the services' containers and the dirs are removed.
 */
export const useMadeThings = () => {
  const homes: string[] = [];
  const names: string[] = [];
  const made = {
    homes,
    names,
    home: (): string => {
      const home = makeStateDir();
      homes.push(home);
      return home;
    },
    name: (prefix: string): string => {
      const name = uniqueName(prefix);
      names.push(name);
      return name;
    },
  };
  beforeAll(requireDocker);
  afterEach(async () => {
    await cleanupContainers(made.names);
    made.homes.forEach(removeStateDir);
    made.homes.length = 0;
    made.names.length = 0;
  });
  return made;
};

/** A fresh state dir for each test, whose supervisor (if the test started one) is stopped after it. */
export const useSupervisorHome = () => {
  const fixture = { home: '' };
  beforeAll(requireDocker);
  beforeEach(() => {
    fixture.home = makeStateDir();
  });
  afterEach(async () => {
    await svc(['daemon', 'stop'], { home: fixture.home });
    removeStateDir(fixture.home);
  });
  return fixture;
};
