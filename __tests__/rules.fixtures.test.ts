/**
 * Unit fixtures of every rule, discovered from __testfixtures__/<rule id>/:
 *   <case>.input.<ext> + <case>.output.<ext>  the rule turns input into output, byte for byte
 *   <case>.input.<ext> alone                  the rule leaves the file unchanged
 *   <case>.error.<ext> + <case>.error.txt     the rule refuses, with that text in its message
 *   <case>.config.json                        optional config for the case
 * Every output (and every unchanged input) goes through the rule again and must not change.
 * Transforms are formatted with Prettier, as the engine does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatSource, isFormatted } from "../src/format/format";
import type { Rule } from "../src/plan/rule";
import { RULES } from "../src/plan/rules";
import { runRule } from "../src/plan/run-rule";
import { RuleRefusal } from "../transforms/lib/refusal";
import { fixtureContext, PROFILE_2025, TESTFIXTURES } from "./helpers/context";

async function apply(
  rule: Rule,
  source: string | undefined,
  caseFile: string,
): Promise<string | null | undefined> {
  const casePath = (suffix: string) => caseFile.replace(/\.(input|error|output)\.[^/]+$/, suffix);
  const configFile = casePath(".config.json");
  const treeDir = casePath(".tree");
  const context = fixtureContext(
    fs.existsSync(configFile) ? configFile : undefined,
    fs.existsSync(treeDir) ? treeDir : undefined,
  );
  const file = caseTargetFile(rule, caseFile);
  const output = runRule(rule, file, source, context);
  if (typeof output === "string" && isFormatted(file)) {
    // Format as the engine does, with Prettier's defaults (no config above the temp dir).
    return formatSource(output, path.join(os.tmpdir(), "amplication-auth0-fixture", file));
  }
  return output;
}

/**
 * The file of the rule the case stands for: the rule's only file, or, for rules with several,
 * the one named in the case's `<case>.file.txt` (a path relative to the server root).
 */
function caseTargetFile(rule: Rule, caseFile: string): string {
  const named = caseFile.replace(/\.(input|error|output)\.[^/]+$/, ".file.txt");
  const relative = fs.existsSync(named) ? fs.readFileSync(named, "utf8").trim() : rule.files[0];
  return `${PROFILE_2025.server.root}/${relative}`;
}

for (const rule of RULES as readonly Rule[]) {
  const dir = path.join(TESTFIXTURES, rule.id);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];

  describe(`rule ${rule.id}`, () => {
    it("has a change case, a no-change case and a refusal case", () => {
      const inputs = files.filter((f) => f.includes(".input."));
      expect(
        inputs.some((f) => files.includes(f.replace(".input.", ".output."))),
      ).toBe(true);
      expect(
        inputs.some((f) => !files.includes(f.replace(".input.", ".output."))),
      ).toBe(true);
      expect(files.some((f) => /\.error\.(?!txt$)/.test(f))).toBe(true);
    });

    for (const input of files.filter((f) => f.includes(".input."))) {
      const caseName = input.split(".input.")[0];
      const outputFile = path.join(dir, input.replace(".input.", ".output."));
      const source = fs.readFileSync(path.join(dir, input), "utf8");

      if (fs.existsSync(outputFile)) {
        it(`${caseName}: turns the input into the output, byte for byte`, async () => {
          const expected = fs.readFileSync(outputFile, "utf8");
          expect(await apply(rule, source, path.join(dir, input))).toBe(
            expected,
          );
        });
        it(`${caseName}: is idempotent (the output stays as it is)`, async () => {
          const expected = fs.readFileSync(outputFile, "utf8");
          const again = await apply(
            rule,
            expected,
            outputFile.replace(".output.", ".input."),
          );
          expect(again === undefined || again === expected).toBe(true);
        });
      } else {
        it(`${caseName}: leaves the file unchanged`, async () => {
          const output = await apply(rule, source, path.join(dir, input));
          expect(output === undefined || output === source).toBe(true);
        });
      }
    }

    for (const errorCase of files.filter((f) => /\.error\.(?!txt$)/.test(f))) {
      const caseName = errorCase.split(".error.")[0];
      it(`${caseName}: refuses and names the rule, the file and the reason`, async () => {
        const expected = fs
          .readFileSync(path.join(dir, `${caseName}.error.txt`), "utf8")
          .trim();
        const source = fs.readFileSync(path.join(dir, errorCase), "utf8");
        const attempt = apply(rule, source, path.join(dir, errorCase));
        await expect(attempt).rejects.toBeInstanceOf(RuleRefusal);
        const error = (await attempt.catch((e: unknown) => e)) as RuleRefusal;
        expect(error.rule).toBe(rule.id);
        expect(error.message).toContain(caseTargetFile(rule, path.join(dir, errorCase)));
        expect(error.message).toContain(expected);
        expect(error.fix.length).toBeGreaterThan(0);
      });
    }
  });
}
