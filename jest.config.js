/** Jest in ESM mode: tests run with NODE_OPTIONS=--experimental-vm-modules (see package.json). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  // Restarting dockerd stops every container on the host: only in CI, or when asked for by name
  // (`npm run test:dockerd`), never in a developer's plain `npm test` on a Docker others use.
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.CI === 'true' || process.env.SVC_TEST_DOCKERD === '1' ? [] : ['dockerd-restart']),
  ],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.mjs',
  globalTeardown: '<rootDir>/__tests__/helpers/global-teardown.mjs',
};
