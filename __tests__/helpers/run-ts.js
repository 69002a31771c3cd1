/**
 * Runs a TypeScript entry point of this repository with plain node, compiling each .ts file on
 * require with @swc/core (as jest does), so a test can start the CLI from its current source
 * as a real process: `node __tests__/helpers/run-ts.js src/cli/main.ts apply ...`.
 */
const fs = require("node:fs");
const path = require("node:path");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  });
  module._compile(code, filename);
};

const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
// Loaded as the main module, so the entry's `require.main === module` holds as under plain node.
require("node:module")._load(entry, null, true);
