/** The verbs of transforms/verbs/, each tested once; the rules that use them are rows. */
import type { FileEdit, RuleContext } from "../src/plan/rule";
import { Refusal } from "../transforms/lib/refusal";
import { ensureDependencyEdit } from "../transforms/verbs/ensure-dependency";
import { raiseDependencyEdit } from "../transforms/verbs/raise-dependency";
import { deleteWhenUnimportedEdit } from "../transforms/verbs/delete-when-unimported";
import { SourceSearch } from "../transforms/lib/source-files";
import { SourceParser } from "../transforms/lib/parser";
import { setEnvEdit } from "../transforms/verbs/set-env";
import { removeUnreadEnvEdit } from "../transforms/verbs/remove-unread-env";
import { removeUnusedDependenciesEdit } from "../transforms/verbs/remove-unused-dependencies";
import type { ReadTree } from "../src/tree/read-tree";

const context = {} as RuleContext;
const FILE = "apps/x/package.json";

function refusalOf(edit: FileEdit, source: string | undefined): Refusal {
  try {
    edit(source, context, FILE);
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("the edit did not refuse");
}

describe("ensureDependency", () => {
  const edit = ensureDependencyEdit({
    name: "left-pad",
    range: "^3.2.0",
    why: "4 is different",
    turnOffIf: "you know better",
  });

  it("adds the package to dependencies", () => {
    const output = edit(
      '{\n  "dependencies": {\n    "a": "1.0.0"\n  }\n}\n',
      context,
      FILE,
    );
    expect(output).toBe(
      '{\n  "dependencies": {\n    "a": "1.0.0",\n    "left-pad": "^3.2.0"\n  }\n}\n',
    );
  });

  it("keeps an entry of the same major version, in dependencies or devDependencies", () => {
    for (const field of ["dependencies", "devDependencies"])
      expect(
        edit(
          JSON.stringify({ [field]: { "left-pad": "~3.0.1" } }),
          context,
          FILE,
        ),
      ).toBeUndefined();
  });

  it("refuses another major version, saying why and when to turn the rule off", () => {
    const refusal = refusalOf(
      edit,
      JSON.stringify({ devDependencies: { "left-pad": "^4.0.0" } }),
    );
    expect(refusal.reason).toBe(
      'it already depends on left-pad "^4.0.0", not a 3.x range; 4 is different',
    );
    expect(refusal.of("server/left-pad", FILE).fix).toBe(
      'use "left-pad": "^3.2.0", or turn the rule off in the config ("rules": { "server/left-pad": "off" }) if you know better',
    );
  });

  it("refuses a missing package.json", () => {
    expect(refusalOf(edit, undefined).reason).toBe("it does not exist");
  });
});

describe("raiseDependency", () => {
  const edit = raiseDependencyEdit({
    name: "left-pad",
    version: "4.0.1",
    belowBrings: "brings bugs",
    otherMajor: "only 4 is known",
    turnOffIf: "you know better",
  });
  const pkg = (range: string, field = "dependencies") =>
    JSON.stringify({ [field]: { "left-pad": range } }, null, 2) + "\n";

  it("raises a range below the version, keeping its style, in either field", () => {
    expect(edit(pkg("^4.0.0"), context, FILE)).toBe(pkg("^4.0.1"));
    expect(edit(pkg("4.0.0", "devDependencies"), context, FILE)).toBe(
      pkg("4.0.1", "devDependencies"),
    );
  });

  it("leaves a range at or above the version, no entry and no package.json alone", () => {
    for (const range of ["~4.0.1", "^4.2.0"])
      expect(edit(pkg(range), context, FILE)).toBeUndefined();
    expect(edit("{}", context, FILE)).toBeUndefined();
    expect(edit(undefined, context, FILE)).toBeUndefined();
  });

  it("refuses a range it cannot read, and another major version", () => {
    const unreadable = refusalOf(edit, pkg(">=4"));
    expect(unreadable.reason).toBe(
      'it asks for left-pad ">=4", a range this rule cannot read; left-pad before 4.0.1 brings bugs',
    );
    expect(unreadable.of("server/x", FILE).fix).toBe(
      'use "left-pad": "4.0.1", or turn the rule off in the config ("rules": { "server/x": "off" }) if you know better',
    );
    expect(refusalOf(edit, pkg("^3.1.0")).reason).toBe(
      'it asks for left-pad "^3.1.0"; only 4 is known',
    );
  });
});

/** A repository in memory: path → content. */
function memoryTree(files: Record<string, string>): ReadTree {
  const paths = Object.keys(files);
  return {
    read: (file) => files[file],
    isDirectory: (dir) => paths.some((file) => file.startsWith(`${dir}/`)),
    list: (dir) =>
      [
        ...new Set(
          paths
            .filter((file) => file.startsWith(`${dir}/`))
            .map((file) => file.slice(dir.length + 1).split("/")[0]),
        ),
      ].sort(),
  };
}

describe("deleteWhenUnimported", () => {
  // a.ts and b.ts are the row's files (b imports a); user.ts is code that stays
  const files = {
    "apps/x/src/auth/a.ts": "export class A {\n  generated() {}\n}\n",
    "apps/x/src/auth/b.ts":
      'import { A } from "./a";\nexport class B {\n  extra() {}\n}\n',
    "apps/x/src/auth/c.ts": "export const c = 1;\n",
    "apps/x/src/user.ts":
      'import { B } from "./auth/b";\nexport const use = (b: B) => b.extra();\n',
  };
  const tree = memoryTree(files);
  const ruleContext = {
    tree,
    sources: new SourceSearch(tree),
    parser: new SourceParser(),
  } as unknown as RuleContext;
  const run = (edit: FileEdit, file: string) =>
    edit(files[file as keyof typeof files], ruleContext, file);
  const rowFiles = ["src/auth/a.ts", "src/auth/b.ts", "src/auth/c.ts"];

  it('"keep": a file code that stays imports stays, with what only it imports; the rest go', () => {
    const edit = deleteWhenUnimportedEdit({
      files: rowFiles,
      whenImported: "keep",
      partOf: "the old login",
    });
    expect(run(edit, "apps/x/src/auth/b.ts")).toBeUndefined();
    expect(run(edit, "apps/x/src/auth/a.ts")).toBeUndefined();
    expect(run(edit, "apps/x/src/auth/c.ts")).toBeNull();
    expect(
      edit(undefined, ruleContext, "apps/x/src/auth/gone.ts"),
    ).toBeUndefined();
  });

  it('"refuse": names each importer that stays and the members it uses; files imported only by the row files go', () => {
    const edit = deleteWhenUnimportedEdit({
      files: rowFiles,
      whenImported: "refuse",
      partOf: "the old login",
      fix: "move off it",
    });
    expect(run(edit, "apps/x/src/auth/a.ts")).toBeNull();
    let refusal: Refusal | undefined;
    try {
      run(edit, "apps/x/src/auth/b.ts");
    } catch (error) {
      refusal = error as Refusal;
    }
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal!.reason).toBe(
      "it belongs to the old login, but code that stays still uses it: apps/x/src/user.ts (imports B; uses b.extra)",
    );
    expect(refusal!.fix).toBe("move off it");
  });

  it("refuses a generated file a user added members to", () => {
    const edit = deleteWhenUnimportedEdit({
      files: rowFiles,
      whenImported: "keep",
      partOf: "the old login",
      generatedMembers: {
        "src/auth/a.ts": { className: "A", members: [] },
      },
    });
    expect(() => run(edit, "apps/x/src/auth/a.ts")).toThrow(Refusal);
    try {
      run(edit, "apps/x/src/auth/a.ts");
    } catch (error) {
      expect((error as Refusal).reason).toBe(
        "A has members a user added (generated); the file belongs to the old login",
      );
    }
  });
});

describe("setEnv", () => {
  const edit = setEnvEdit({
    variables: (c) => ({ A_URL: `https://${c.auth0.domain}/`, B: "2" }),
  });
  const envContext = {
    auth0: { domain: "t.example" },
  } as unknown as RuleContext;

  it("sets each variable in place and adds the missing ones; a file already set is left alone", () => {
    const output = edit("# mine\nA_URL=old\nOTHER=x\n", envContext, ".env");
    expect(output).toContain("# mine\n");
    expect(output).toContain("OTHER=x\n");
    expect(output).toMatch(/^A_URL=.*t\.example/m);
    expect(output).toMatch(/^B=.*2/m);
    expect(edit(output as string, envContext, ".env")).toBeUndefined();
  });

  it("refuses a variable defined twice, saying which value dotenv would keep", () => {
    let refusal: Refusal | undefined;
    try {
      edit("B=1\nB=3\n", envContext, "apps/x/.env");
    } catch (error) {
      refusal = error as Refusal;
    }
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal!.reason).toBe(
      "B is defined more than once (lines 1, 2); dotenv keeps the first, so the result would be ambiguous",
    );
    expect(refusal!.fix).toBe("keep one B line in apps/x/.env and run again");
  });
});

describe("removeUnreadEnv and removeUnusedDependencies: what no server source quotes goes", () => {
  const files = {
    "apps/s/src/main.ts":
      'import { a } from "kept-module";\nconst x = process.env["KEPT_VAR"];\n// GONE_VAR in a comment is no read\n',
  };
  const tree = memoryTree(files);
  const serverContext = {
    tree,
    sources: new SourceSearch(tree),
    profile: { server: { root: "apps/s" } },
  } as unknown as RuleContext;

  it("removeUnreadEnv drops the variables no source quotes, and keeps the rest", () => {
    const edit = removeUnreadEnvEdit(["KEPT_VAR", "GONE_VAR"]);
    expect(
      edit("KEPT_VAR=1\nGONE_VAR=2\nOTHER=3\n", serverContext, "apps/s/.env"),
    ).toBe("KEPT_VAR=1\nOTHER=3\n");
    expect(edit("KEPT_VAR=1\n", serverContext, "apps/s/.env")).toBeUndefined();
  });

  it("removeUnusedDependencies drops a package nothing imports, with the packages beside it", () => {
    const edit = removeUnusedDependenciesEdit({
      "kept-module": ["kept-module"],
      "gone-module": ["gone-module", "@types/gone-module"],
    });
    const output = edit(
      JSON.stringify(
        {
          dependencies: { "kept-module": "1", "gone-module": "1" },
          devDependencies: { "@types/gone-module": "1" },
        },
        null,
        2,
      ) + "\n",
      serverContext,
      "apps/s/package.json",
    );
    expect(JSON.parse(output as string)).toEqual({
      dependencies: { "kept-module": "1" },
      devDependencies: {},
    });
  });
});
