/**
 * The Prisma schema parser of @mrleebo/prisma-ast, the only module that loads it.
 *
 * In the package, the build replaces this file's output with one bundle of it and chevrotain
 * (scripts/bundle-core.ts), and neither is a dependency: chevrotain and its lodash-es ship as
 * ES modules of several hundred files, whose loading took about 0.3 s of every run (measured
 * with `node --cpu-prof`); bundled, they load in a few milliseconds. From the sources (the
 * tests) this file loads the devDependency. The bundle also leaves out the parser's search for
 * a config of its own (scripts/bundle-core.ts says why).
 */
export { getSchema } from "@mrleebo/prisma-ast";
