/**
 * `npm test`: every in-process suite, the edit loop's feedback. The suites that run the project's
 * commands end to end (the cdktf CLI, review, versions, healthcheck) live in __tests__/e2e/ and
 * run with `npm run test:e2e` (jest.e2e.config.js).
 *
 * Tests run through sucrase (transpile only, fast, and pure JavaScript: no native binary to
 * install); `npm test` runs `tsc --noEmit` first, so the suite keeps full type checking.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/e2e/"],
  transform: {
    "^.+\\.ts$": "@sucrase/jest-plugin",
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  reporters: ["default", "<rootDir>/__tests__/support/summary-reporter.js"],
  // Two workers: the machines have two cores.
  maxWorkers: 2,
  testTimeout: 60000,
};
