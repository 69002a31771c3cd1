/**
 * Lets plain node require this repository's .ts files, compiling each on require with
 * @swc/core (as jest does): `node -r __tests__/helpers/register-ts.js ...`, or required first
 * by run-ts.js.
 */
const fs = require("node:fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  });
  module._compile(code, filename);
};
