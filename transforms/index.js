// Entry point for `npx jscodeshift -t <this folder>`: jscodeshift compiles a directory's
// index.ts with Babel's Flow preset (facebook/jscodeshift#467), so the folder points at the
// compiled router instead. See transforms/router.ts.
try {
  module.exports = require("../dist/transforms/router.js");
} catch (error) {
  if (
    error &&
    error.code === "MODULE_NOT_FOUND" &&
    String(error.message).includes("router")
  ) {
    throw new Error(
      "amplication-auth0-codemod is not built: run `npm run build` in the package first",
    );
  }
  throw error;
}
