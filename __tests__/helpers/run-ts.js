/**
 * Runs a TypeScript entry point of this repository with plain node (see register-ts.js), so a
 * test can start the CLI from its current source as a real process:
 * `node __tests__/helpers/run-ts.js src/cli/main.ts apply ...`.
 */
const path = require("node:path");
require("./register-ts");

const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
// Loaded as the main module, so the entry's `require.main === module` holds as under plain node.
require("node:module")._load(entry, null, true);
