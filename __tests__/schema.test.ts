/** The committed schema files are exactly what `npm run schema` generates from the zod schema. */
import * as fs from "node:fs";
import * as path from "node:path";
import { generateSchemaFiles } from "../scripts/gen-schema";

const root = path.resolve(__dirname, "..");

describe("schema", () => {
  it("has no drift: schema/ matches the generator output (run `npm run schema` to update)", async () => {
    const files = await generateSchemaFiles();
    for (const [file, text] of Object.entries(files)) {
      expect(fs.readFileSync(path.join(root, file), "utf8")).toBe(text);
    }
  });

  it("every fixture config validates", () => {
    const { loadConfigFile } =
      require("./helpers/config") as typeof import("./helpers/config");
    const configs = [path.join(root, "__testfixtures__/auth0.config.json")];
    const apps = path.join(root, "fixtures/apps");
    for (const app of fs.existsSync(apps) ? fs.readdirSync(apps) : []) {
      const file = path.join(apps, app, "auth0.config.json");
      if (fs.existsSync(file)) configs.push(file);
    }
    for (const file of configs)
      expect(() => loadConfigFile(file)).not.toThrow();
  });
});
