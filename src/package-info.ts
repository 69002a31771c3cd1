/** This package's own package.json, found from both src/ (tests) and dist/src/ (installed). */
import * as fs from "node:fs";
import * as path from "node:path";

export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, "package.json");
    if (
      fs.existsSync(file) &&
      JSON.parse(fs.readFileSync(file, "utf8")).name ===
        "amplication-auth0-codemod"
    )
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(
        "amplication-auth0-codemod: cannot find its own package.json",
      );
    dir = parent;
  }
}

export function packageVersion(): string {
  return JSON.parse(
    fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8"),
  ).version;
}
