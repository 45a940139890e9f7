/**
 * Jest in ESM mode: tests run with NODE_OPTIONS=--experimental-vm-modules (see package.json).
 *
 * Three tiers, told apart by a test file's place (README.md, Layout):
 * - unit: every other *.test.ts; Node alone (fakes, temp dirs), no Docker, root, build or browser.
 *   `npm run test:fast` runs it alone, and `npm test` first, so a plain mistake fails in seconds.
 * - docker: *.docker.test.ts, in-process against the host's real engine (some need root or the build).
 * - e2e: __tests__/e2e, web and swarm: the built bin/svc as a process, the page in Chromium, a swarm.
 * docker and e2e share the host's dockerd concurrently: each test has its own state dir and unique
 * names, and nothing lists or removes what another test made. scripts/test-all.sh runs the tiers.
 *
 * The serial project holds the e2e tests whose assertions race the clock of a busy machine (a
 * container that must still run when the API answers, say): test-all.sh runs them one at a time
 * after the parallel tiers. A test goes there only after failing in parallel and passing alone.
 *
 * A last project, dockerd, holds the one test that restarts the host's dockerd, which stops every
 * container on the host: it exists only in CI or when asked for by name (`npm run test:dockerd`),
 * never in a developer's `npm test` on a Docker others use, and test-all.sh runs it last and alone.
 */
const DOCKERD_RESTART = '<rootDir>/__tests__/e2e/dockerd-restart.test.ts';
const E2E_FOLDERS = '<rootDir>/__tests__/(e2e|web|swarm)/';
const DOCKER_SUFFIX = '\\.docker\\.test\\.ts$';
/** Each failed under parallel workers and passes alone; why, beside each. */
const SERIAL = [
  // Its crashing machine (`sleep 1; exit 3`) must still be running when the create is answered.
  '<rootDir>/__tests__/e2e/api-fly.test.ts',
  // Each signal must end its command within 5 s (PROMPTLY_MS), which workers beside it pushed past.
  '<rootDir>/__tests__/e2e/cli-signals.test.ts',
];
const withDockerdRestart = process.env.CI === 'true' || process.env.SVC_TEST_DOCKERD === '1';

/** What every tier shares: TypeScript through ts-jest. */
const project = (displayName, testMatch, testPathIgnorePatterns = []) => ({
  displayName,
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch,
  testPathIgnorePatterns: ['/node_modules/', ...testPathIgnorePatterns],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
});

export default {
  testTimeout: 60000,
  // Once for the whole run, whichever projects it selects: one scratch dir (global-setup.mjs).
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.mjs',
  globalTeardown: '<rootDir>/__tests__/helpers/global-teardown.mjs',
  projects: [
    project('unit', ['<rootDir>/__tests__/**/*.test.ts'], [DOCKER_SUFFIX, E2E_FOLDERS]),
    project('docker', ['<rootDir>/__tests__/**/*.docker.test.ts'], [E2E_FOLDERS]),
    project('e2e', ['<rootDir>/__tests__/{e2e,web,swarm}/**/*.test.ts'], [DOCKERD_RESTART, ...SERIAL]),
    project('serial', SERIAL),
    ...(withDockerdRestart ? [project('dockerd', [DOCKERD_RESTART])] : []),
  ],
};
