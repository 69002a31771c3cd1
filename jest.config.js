const os = require("node:os");
const { prismaAstBundle } = require("./__tests__/helpers/prisma-ast-bundle");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.tsx?$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript", tsx: false }, target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  // @mrleebo/prisma-ast loads chevrotain and lodash-es, ES modules of several hundred files:
  // slow to load one by one in every test file, and jest's loader cannot require them before
  // Node 24.9. Tests get one CommonJS bundle of them, as the package ships (see the helper).
  moduleNameMapper: {
    "^@mrleebo/prisma-ast$": prismaAstBundle(),
  },
  // Fixture apps carry their own package.json files; keep them out of jest's module map.
  modulePathIgnorePatterns: ["<rootDir>/fixtures/", "<rootDir>/dist/"],
  testTimeout: 60000,
  // Most of the long suites wait on processes (tsc, npm, PostgreSQL, the browser, the CLI):
  // two files at a time even on 2 cores, where jest's default would run one.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  globalSetup: "<rootDir>/__tests__/jest/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/jest/global-teardown.ts",
  reporters: ["default", "<rootDir>/__tests__/jest/progress-reporter.js"],
};
