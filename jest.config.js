/**
 * Jest runs the TypeScript sources as native ES modules (cel-js, jose and uuid are ESM-only),
 * so `npm test` starts node with --experimental-vm-modules. Type-checking is done once by
 * `tsc --noEmit` in the test script; ts-jest only transpiles (isolatedModules).
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
  testTimeout: 30000,
  maxWorkers: 2,
};
