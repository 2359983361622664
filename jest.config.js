/**
 * Tests run through sucrase (transpile only, fast, and pure JavaScript: no native binary to
 * install); `npm test` runs `tsc --noEmit` first, so the suite keeps full type checking.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "@sucrase/jest-plugin",
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  reporters: ["default", "<rootDir>/__tests__/support/summary-reporter.js"],
  // Two workers: the machines have two cores, and the end-to-end suites mostly wait on child processes.
  maxWorkers: 2,
  testTimeout: 60000,
};
