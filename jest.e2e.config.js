/**
 * `npm run test:e2e`: the end-to-end suites in __tests__/e2e/. Each runs the project's commands
 * as a user does, in child processes: the cdktf CLI (the runbooks harness and its stand-in
 * Terraform, `cdktf synth` and its refusals, HCL output, and the check that every documented
 * `npx cdktf` command is run), `npm run review` (a synthesis of each side of a change),
 * `npm run versions` and `npm run healthcheck` against loopback servers. A CLI run costs 3-4 s
 * of CPU, so these stay out of `npm test`; CI runs both (.ci/run).
 */
const base = require("./jest.config");

module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/e2e"],
  testPathIgnorePatterns: ["/node_modules/"],
  // These suites mostly wait on child processes, started side by side in beforeAll.
  testTimeout: 300000,
};
