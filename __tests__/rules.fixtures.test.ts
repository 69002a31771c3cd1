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
  const casePath = (suffix: string) =>
    caseFile.replace(/\.(input|error|output)\.[^/]+$/, suffix);
  const configFile = casePath(".config.json");
  const treeDir = casePath(".tree");
  const profileFile = casePath(".profile.json");
  const context = fixtureContext(
    fs.existsSync(configFile) ? configFile : undefined,
    fs.existsSync(treeDir) ? treeDir : undefined,
  );
  if (fs.existsSync(profileFile)) {
    // e.g. { "admin": { "bundler": "cra", "reactAdminMajor": 3, "loginForm": false } }
    const overrides = JSON.parse(
      fs.readFileSync(profileFile, "utf8"),
    ) as Partial<Record<"server" | "admin", object>>;
    context.profile = {
      ...context.profile,
      server: { ...context.profile.server, ...overrides.server },
      admin: { ...context.profile.admin!, ...overrides.admin },
    };
  }
  const file = caseTargetFile(rule, caseFile);
  const { output } = runRule(rule, file, source, context);
  if (typeof output === "string" && isFormatted(file)) {
    // Format as the engine does, with Prettier's defaults (no config above the temp dir).
    const root = path.join(os.tmpdir(), "amplication-auth0-fixture");
    return formatSource(output, path.join(root, file), root);
  }
  return output;
}

/**
 * The file of the rule the case stands for: the rule's only file, or, for rules with several,
 * the one named in the case's `<case>.file.txt` (a path relative to the server root).
 */
function caseTargetFile(rule: Rule, caseFile: string): string {
  const named = caseFile.replace(/\.(input|error|output)\.[^/]+$/, ".file.txt");
  const relative = fs.existsSync(named)
    ? fs.readFileSync(named, "utf8").trim()
    : rule.files[0];
  const root =
    rule.target === "server"
      ? PROFILE_2025.server.root
      : PROFILE_2025.admin!.root;
  return `${root}/${relative}`;
}

for (const rule of RULES as readonly Rule[]) {
  const dir = path.join(TESTFIXTURES, rule.id);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];

  describe(`rule ${rule.id}`, () => {
    const isInput = (f: string) => f.includes(".input.");
    const isError = (f: string) => /\.error\.(?!txt$)/.test(f);
    const caseOf = (f: string) =>
      f.split(/\.(input|output|error|deleted)(\.|$)/)[0];
    const has = (name: string) => files.includes(name);

    it("has a change case, a no-change case and a refusal case (or says why it never refuses)", () => {
      const changes = files.filter(
        (f) => f.includes(".output.") || f.endsWith(".deleted"),
      );
      const unchanged = files.filter(
        (f) =>
          isInput(f) &&
          !has(f.replace(".input.", ".output.")) &&
          !has(`${caseOf(f)}.deleted`),
      );
      expect(changes.length).toBeGreaterThan(0);
      // a deletion case also checks the no-change side: no file stays no file
      expect(
        unchanged.length + files.filter((f) => f.endsWith(".deleted")).length,
      ).toBeGreaterThan(0);
      expect(files.some(isError) || has("NO-REFUSAL.md")).toBe(true);
    });

    // Cases: input → output; input → deleted; no input → output (the rule creates the file);
    // input alone → unchanged.
    const cases = [
      ...new Set(
        files
          .filter(
            (f) =>
              isInput(f) || f.includes(".output.") || f.endsWith(".deleted"),
          )
          .map(caseOf),
      ),
    ];
    for (const caseName of cases) {
      const input = files.find((f) => f.startsWith(`${caseName}.input.`));
      const output = files.find((f) => f.startsWith(`${caseName}.output.`));
      const deleted = has(`${caseName}.deleted`);
      const caseFile = path.join(
        dir,
        input ?? output ?? `${caseName}.input.ts`,
      );
      const source = input
        ? fs.readFileSync(path.join(dir, input), "utf8")
        : undefined;

      if (output) {
        const expected = fs.readFileSync(path.join(dir, output), "utf8");
        it(`${caseName}: turns the ${input ? "input" : "missing file"} into the output, byte for byte`, async () => {
          expect(await apply(rule, source, caseFile)).toBe(expected);
        });
        it(`${caseName}: is idempotent (the output stays as it is)`, async () => {
          const again = await apply(rule, expected, caseFile);
          expect(again === undefined || again === expected).toBe(true);
        });
      } else if (deleted) {
        it(`${caseName}: deletes the file`, async () => {
          expect(await apply(rule, source, caseFile)).toBeNull();
        });
        it(`${caseName}: is idempotent (no file stays no file)`, async () => {
          expect(await apply(rule, undefined, caseFile)).toBeUndefined();
        });
      } else {
        it(`${caseName}: leaves the file unchanged`, async () => {
          const result = await apply(rule, source, caseFile);
          expect(result === undefined || result === source).toBe(true);
        });
      }
    }

    for (const errorCase of files.filter(isError)) {
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
        expect(error.message).toContain(
          caseTargetFile(rule, path.join(dir, errorCase)),
        );
        expect(error.message).toContain(expected);
        expect(error.fix.length).toBeGreaterThan(0);
      });
    }
  });
}
