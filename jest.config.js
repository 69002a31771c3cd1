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
  // Fixture apps carry their own package.json files; keep them out of jest's module map.
  modulePathIgnorePatterns: ["<rootDir>/fixtures/", "<rootDir>/dist/"],
  testTimeout: 60000,
};
