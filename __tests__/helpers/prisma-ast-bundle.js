/**
 * One CommonJS bundle of @mrleebo/prisma-ast (with chevrotain and lodash-es), for code run from
 * the sources: jest maps the package to it (jest.config.js), and so does the source CLI
 * (register-ts.js). The package build ships the same kind of bundle (scripts/bundle-core.ts).
 *
 * Why: chevrotain and lodash-es are ES modules of several hundred files. Loaded one by one they
 * cost about 0.7 s in every jest test file and 0.4 s in every start of the source CLI; bundled,
 * a few milliseconds. The bundle is kept in .tmp/, named by the versions it is made of, and
 * made again only when one of them changes.
 */
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");

function prismaAstBundle() {
  const version = (name) =>
    require(require.resolve(`${name}/package.json`, { paths: [ROOT] })).version;
  const file = path.join(
    ROOT,
    ".tmp",
    "bundles",
    `prisma-ast-${version("@mrleebo/prisma-ast")}-esbuild-${version("esbuild")}.js`,
  );
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside and renamed in, so a process starting at the same moment reads all or nothing.
  const aside = `${file}.${process.pid}.tmp`;
  require("esbuild").buildSync({
    entryPoints: [require.resolve("@mrleebo/prisma-ast", { paths: [ROOT] })],
    outfile: aside,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  fs.renameSync(aside, file);
  return file;
}

module.exports = { prismaAstBundle };
