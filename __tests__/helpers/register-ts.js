/**
 * Lets plain node require this repository's .ts files, compiling each on require with
 * @swc/core (as jest does): `node -r __tests__/helpers/register-ts.js ...`, or required first
 * by run-ts.js.
 *
 * Under jest (AA0_TEST_SCRATCH names the run's scratch folder, see __tests__/jest/scratch.ts)
 * each compiled file is kept in that folder, keyed by the swc version, the options, the file's
 * path and its text: the tests start the CLI many times, and every start would otherwise
 * compile the same sources again (and load @swc/core only to do so). A changed source gets a
 * new key, and the folder goes with the run.
 *
 * @mrleebo/prisma-ast resolves to one bundle of it (prisma-ast-bundle.js), as under jest.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const OPTIONS = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs" },
};

const CACHE = process.env.AA0_TEST_SCRATCH
  ? path.join(process.env.AA0_TEST_SCRATCH, "register-ts-cache")
  : undefined;

let swc;
function compile(source, filename) {
  swc ??= require("@swc/core");
  return swc.transformSync(source, { filename, ...OPTIONS }).code;
}

let swcVersion;
function cached(source, filename) {
  swcVersion ??= require("@swc/core/package.json").version;
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([swcVersion, OPTIONS, filename]))
    .update("\0")
    .update(source)
    .digest("hex");
  const file = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    // not compiled yet in this run
  }
  const code = compile(source, filename);
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    // Written aside and renamed in, so a process starting at the same moment reads all or nothing.
    const aside = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(aside, code);
    fs.renameSync(aside, file);
  } catch {
    // a cache that cannot be written only costs the next start a compile
  }
  return code;
}

const Module = require("node:module");
const resolveFilename = Module._resolveFilename;
const prismaAst = require("./prisma-ast-bundle").prismaAstBundle();
Module._resolveFilename = function (request, ...rest) {
  if (request === "@mrleebo/prisma-ast") return prismaAst;
  return resolveFilename.call(this, request, ...rest);
};

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  module._compile(
    CACHE ? cached(source, filename) : compile(source, filename),
    filename,
  );
};
