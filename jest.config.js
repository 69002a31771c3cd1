const os = require("node:os");

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
    // chevrotain and its lodash-es (under @mrleebo/prisma-ast) ship only ES modules; Node 20.19 requires them as
    // they are, but jest's module loader cannot before Node 24.9, so jest gets a CommonJS copy.
    "/node_modules/(chevrotain|@chevrotain/[^/]+|lodash-es)/.+\\.js$": [
      "@swc/jest",
      {
        jsc: { target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  // @chevrotain/* export only an `import` condition, which jest's require does not take.
  moduleNameMapper: {
    "^@chevrotain/([^/]+)$":
      "<rootDir>/node_modules/@chevrotain/$1/lib/src/api.js",
  },
  transformIgnorePatterns: [
    "/node_modules/(?!(chevrotain|@chevrotain|lodash-es)/)",
  ],
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
