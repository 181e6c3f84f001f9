/**
 * Jest runs the TypeScript sources as native ES modules (cel-js, jose and uuid are ESM-only),
 * so `npm test` starts node with --experimental-vm-modules. Type-checking is done once by
 * `tsc --noEmit` in the test script; ts-jest only transpiles (isolatedModules).
 *
 * tests/postgres/ holds what only PostgreSQL has (a server behind a proxy the test freezes, a
 * rate-limit store shared by two instances): selected in the PostgreSQL pass (DATABASE_URL set),
 * left out of the PGlite pass — never skipped from inside a test. tests/browser/ (the web console in
 * Chromium, against the built service on its embedded database) is the other way round: selected in
 * the PGlite pass, left out of the PostgreSQL pass, which tests the same API underneath.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.DATABASE_URL ? ['<rootDir>/tests/browser/'] : ['<rootDir>/tests/postgres/']),
  ],
  testTimeout: 30000,
  maxWorkers: 2,
};
