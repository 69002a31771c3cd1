/**
 * The kept views of transforms/lib/source-files.ts (file list and string searches per tree
 * revision, StagedTree changes laid over the disk's; the DiskTree searching the bytes its worker
 * read) give the same answers, in the same order, as walking and reading the tree on every
 * call; and the caching DiskTree reads the disk once.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  importersOf,
  SourceSearch,
  sourceFiles,
  SourceViews,
  sourcesMentioning,
} from "../transforms/lib/source-files";
import { DiskTree } from "../src/tree/disk-tree";
import { Prefetch, SLAB_BYTES } from "../src/tree/prefetch";
import { StagedTree } from "../src/tree/staged-tree";
import { type ReadTree } from "../src/tree/read-tree";

const ROOT = "apps/svc";

/** Each tree searched as the engine searches it: with views kept across calls, as in a run. */
const VIEWS = new SourceViews();
const on = (tree: ReadTree) => new SourceSearch(tree, VIEWS);

/** The same tree without a revision: source-files.ts walks and reads it on every call. */
function plain(tree: ReadTree): ReadTree {
  return {
    read: (file) => tree.read(file),
    list: (dir) => tree.list(dir),
    isDirectory: (dir) => tree.isDirectory(dir),
  };
}

/** Writes a file under dir, with its folders. */
function writeFile(dir: string, file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES = [
  "src/auth/token.service.ts",
  "src/auth/auth.service.ts",
  "src/auth/index.ts",
  "src/auth/constants.ts",
  "src/auth/jwt/jwtSecretFactory.ts",
  "src/auth.ts",
  "src/constants.ts",
  "src/app.module.ts",
  "src/user/user.service.ts",
  "src/user/base/user.service.base.ts",
  "src/misc/dots.ts",
  "src/misc/Page.tsx",
  "src/a.b/hidden.ts",
  "src/node_modules/pkg/index.ts",
  "src/deep/er/still/here.ts",
  "src/z-last.ts",
  "scripts/seed.ts",
  "scripts/tools/util.ts",
  "package.json",
  "src/notes.md",
  "other/elsewhere.ts",
];

const SPECIFIERS = [
  "./token.service",
  "../auth/token.service",
  "../../auth/token.service",
  "../src/auth/token.service",
  "src/auth/token.service",
  "src/auth/../auth/token.service",
  "./auth",
  "../auth",
  "./auth/index",
  "../auth/index",
  "..",
  ".",
  "./",
  "../auth/",
  "./constants",
  "../constants",
  "../../constants",
  "./jwt/jwtSecretFactory",
  "../jwt/jwtSecretFactory",
  "@nestjs/common",
  "token.service",
];

const CLAUSES = [
  "{ TokenService }",
  "{ A, B as C, type D }",
  "type { E }",
  "Default",
  "Default, { F }",
  "* as ns",
];

function content(rand: () => number): string {
  const lines: string[] = [];
  const count = Math.floor(rand() * 5);
  for (let i = 0; i < count; i++) {
    const clause = CLAUSES[Math.floor(rand() * CLAUSES.length)];
    const spec = SPECIFIERS[Math.floor(rand() * SPECIFIERS.length)];
    lines.push(
      rand() < 0.1
        ? `import ${clause}\n  from '${spec}';`
        : `import ${clause} from "${spec}";`,
    );
  }
  if (rand() < 0.3)
    lines.push("// mentions token.service and constants in passing");
  lines.push(`export const value${Math.floor(rand() * 1000)} = 1;`);
  return `${lines.join("\n")}\n`;
}

const TARGETS = [
  "src/auth/token.service.ts",
  "src/auth/index.ts",
  "src/auth.ts",
  "src/constants.ts",
  "src/auth/constants.ts",
  "src/auth/jwt/jwtSecretFactory.ts",
  "src/misc/Page.tsx",
].map((f) => `${ROOT}/${f}`);

function exceptSets(): Array<Set<string>> {
  return [
    new Set(),
    new Set([`${ROOT}/src/auth/auth.service.ts`, `${ROOT}/scripts/seed.ts`]),
    new Set(TARGETS),
  ];
}

function writeRepo(dir: string, rand: () => number): void {
  for (const file of FILES) {
    if (rand() < 0.25) continue;
    const target = path.join(dir, ROOT, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(
      target,
      file.endsWith(".ts") || file.endsWith(".tsx") ? content(rand) : "{}\n",
    );
  }
}

/**
 * Strings to search for, in an order where later ones contain earlier ones (a search may start
 * from the files an earlier needle was found in), with a non-ASCII one and one found nowhere.
 */
const NEEDLES = [
  "token",
  "token.service",
  "../auth/token.service",
  "constants",
  "import",
  "mentions",
  "Default, { F }",
  "é",
  "found-nowhere",
];

/** How many importers the comparisons saw, so the test cannot pass on empty answers alone. */
let found = 0;
/** The same for files found by a string search. */
let mentioned = 0;

function expectSameMentions(tree: ReadTree, reference: ReadTree): void {
  for (const needle of NEEDLES) {
    const expected = sourcesMentioning(on(reference), ROOT, needle);
    expect(sourcesMentioning(on(tree), ROOT, needle)).toEqual(expected);
    mentioned += expected.length;
  }
}

function expectSameAnswers(tree: ReadTree): void {
  const reference = plain(tree);
  expect(sourceFiles(on(tree), ROOT)).toEqual(sourceFiles(on(reference), ROOT));
  expectSameMentions(tree, reference);
  for (const target of TARGETS) {
    for (const except of exceptSets()) {
      const expected = importersOf(on(reference), ROOT, target, except);
      expect(importersOf(on(tree), ROOT, target, except)).toEqual(expected);
      found += expected.length;
    }
  }
}

describe("source files and importers on kept views", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    expect(found).toBeGreaterThan(1000);
    expect(mentioned).toBeGreaterThan(1000);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    "answer as a fresh walk does, through writes, deletes and stacked StagedTrees (seed %i)",
    (seed) => {
      const rand = random(seed);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "source-index-"));
      dirs.push(dir);
      writeRepo(dir, rand);
      const disk = new DiskTree(dir, { cache: true });
      expect(disk.revision).toBe(0);
      expectSameAnswers(disk);

      const layers: StagedTree[] = [new StagedTree(disk)];
      const pool = [
        ...FILES,
        "src/new/fresh.ts",
        "src/new/deeper/fresh.tsx",
        "src/auth/added.ts",
        "src/auth/index.ts",
        "src/with.dot/x.ts",
        "src/node_modules/y.ts",
        "scripts/new.ts",
        "src/0-first.ts",
        "src/auth/jwt/base/Auth0Payload.ts",
      ].map((f) => `${ROOT}/${f}`);
      for (let step = 0; step < 40; step++) {
        const choice = rand();
        // Mostly the top layer, as the engine does; sometimes one below, to change a base.
        const layer =
          rand() < 0.85
            ? layers[layers.length - 1]
            : layers[Math.floor(rand() * layers.length)];
        const file = pool[Math.floor(rand() * pool.length)];
        const before = layers[layers.length - 1].revision;
        if (choice < 0.5) layer.write(file, content(rand));
        else if (choice < 0.8) layer.delete(file);
        else if (choice < 0.9)
          layer.write(file, layer.read(file) ?? content(rand));
        else layers.push(new StagedTree(layers[layers.length - 1]));
        if (choice < 0.9)
          expect(layers[layers.length - 1].revision).not.toBe(before);
        for (const tree of layers) expectSameAnswers(tree);
      }
    },
  );

  it("keeps answering from its view until the tree changes, then from the change", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "source-index-"));
    dirs.push(dir);
    const write = (file: string, content: string | Buffer) =>
      writeFile(dir, file, content);
    write(
      `${ROOT}/src/auth/token.service.ts`,
      "export class TokenService {}\n",
    );
    write(
      `${ROOT}/src/user/user.ts`,
      'import { TokenService } from "../auth/token.service";\n',
    );
    const staged = new StagedTree(new DiskTree(dir, { cache: true }));
    const target = `${ROOT}/src/auth/token.service.ts`;
    expect(
      importersOf(on(staged), ROOT, target).map((u) => u.importer),
    ).toEqual([`${ROOT}/src/user/user.ts`]);
    staged.delete(`${ROOT}/src/user/user.ts`);
    expect(importersOf(on(staged), ROOT, target)).toEqual([]);
    staged.write(
      `${ROOT}/scripts/seed.ts`,
      'import { TokenService as T } from "../src/auth/token.service";\n',
    );
    staged.write(
      `${ROOT}/src/a.ts`,
      'import type { TokenService } from "src/auth/token.service";\n',
    );
    expect(importersOf(on(staged), ROOT, target)).toEqual([
      { importer: `${ROOT}/src/a.ts`, names: ["TokenService"] },
      { importer: `${ROOT}/scripts/seed.ts`, names: ["TokenService"] },
    ]);
    expect(sourceFiles(on(staged), ROOT)).toEqual([
      `${ROOT}/src/a.ts`,
      `${ROOT}/src/auth/token.service.ts`,
      `${ROOT}/scripts/seed.ts`,
    ]);
  });
});

describe("DiskTree", () => {
  it("with cache: reads, lists and tests each path once, and answers as without", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "disk-tree-"));
    try {
      fs.mkdirSync(path.join(dir, "a/b"), { recursive: true });
      fs.writeFileSync(path.join(dir, "a/one.ts"), "one");
      fs.writeFileSync(path.join(dir, "a/b/two.ts"), "two");
      fs.symlinkSync(path.join(dir, "a/b"), path.join(dir, "a/link"));
      const cached = new DiskTree(dir, { cache: true });
      const fresh = new DiskTree(dir);
      expect(fresh.revision).toBeUndefined();
      for (const tree of [cached, fresh]) {
        expect(tree.list("a")).toEqual(["b", "link", "one.ts"]);
        expect(tree.list("missing")).toEqual([]);
        expect(tree.isDirectory("a/b")).toBe(true);
        expect(tree.isDirectory("a/link")).toBe(true);
        expect(tree.isDirectory("a/one.ts")).toBe(false);
        expect(tree.isDirectory("a/missing")).toBe(false);
        expect(tree.read("a/one.ts")).toBe("one");
        expect(tree.read("a/missing.ts")).toBeUndefined();
      }
      // A listing handed out is the caller's to change.
      cached.list("a").push("x");
      expect(cached.list("a")).toEqual(["b", "link", "one.ts"]);

      fs.writeFileSync(path.join(dir, "a/one.ts"), "changed");
      fs.writeFileSync(path.join(dir, "a/missing.ts"), "now here");
      fs.rmSync(path.join(dir, "a/b"), { recursive: true });
      expect(cached.read("a/one.ts")).toBe("one");
      expect(cached.read("a/missing.ts")).toBeUndefined();
      expect(cached.list("a")).toEqual(["b", "link", "one.ts"]);
      expect(cached.isDirectory("a/b")).toBe(true);
      expect(fresh.read("a/one.ts")).toBe("changed");
      expect(fresh.read("a/missing.ts")).toBe("now here");
      expect(fresh.isDirectory("a/b")).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a StagedTree's revision moves with its own changes and with its base's", () => {
    const disk = new DiskTree(os.tmpdir(), { cache: true });
    const lower = new StagedTree(disk);
    const upper = new StagedTree(lower);
    const seen = new Set([upper.revision]);
    upper.write("x.ts", "x");
    expect(seen.has(upper.revision)).toBe(false);
    seen.add(upper.revision);
    lower.write("y.ts", "y");
    expect(seen.has(upper.revision)).toBe(false);
    seen.add(upper.revision);
    upper.delete("x.ts");
    expect(seen.has(upper.revision)).toBe(false);
    expect(new StagedTree(new DiskTree(os.tmpdir())).revision).toBeUndefined();
  });
});

describe("DiskTree.prefetch", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** "a", a broken sequence, "(", a truncated one, a newline. */
  const MALFORMED_UTF8 = Buffer.from([
    0x61, 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x0a,
  ]);

  function freshDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefetch-"));
    dirs.push(dir);
    return dir;
  }

  /**
   * A caching tree whose worker is reading ROOT's src and scripts, into buffers of slabBytes
   * (the default size, or a few hundred bytes: then each folder comes in many parts, and files
   * larger than a buffer move to one of their own).
   */
  function prefetchingTree(dir: string, slabBytes?: number): DiskTree {
    const tree = new DiskTree(dir, { cache: true });
    tree.prefetch([`${ROOT}/src`, `${ROOT}/scripts`], slabBytes);
    return tree;
  }

  /** Every answer a walk of ROOT asks for, from a tree. */
  function answers(tree: ReadTree): unknown[] {
    const out: unknown[] = [];
    const walk = (dir: string) => {
      const names = tree.list(dir);
      out.push(["list", dir, names]);
      for (const name of names) {
        const child = `${dir}/${name}`;
        const isDir = tree.isDirectory(child);
        out.push(["dir", child, isDir]);
        if (isDir) walk(child);
        else {
          try {
            out.push(["read", child, tree.read(child)]);
          } catch (error) {
            out.push(["read", child, (error as NodeJS.ErrnoException).code]);
          }
        }
      }
    };
    walk(`${ROOT}/src`);
    walk(`${ROOT}/scripts`);
    return out;
  }

  it.each([
    [1, SLAB_BYTES],
    [2, SLAB_BYTES],
    [3, SLAB_BYTES],
    [4, SLAB_BYTES],
    [5, 256],
    [6, 128],
  ])(
    "gives the answers of a tree that reads the disk itself (seed %i, buffers of %s bytes)",
    (seed, slabBytes) => {
      const rand = random(seed);
      const dir = freshDir();
      writeRepo(dir, rand);
      const prefetching = prefetchingTree(dir, slabBytes);
      const reference = new DiskTree(dir);
      expect(sourceFiles(on(prefetching), ROOT)).toEqual(
        sourceFiles(on(reference), ROOT),
      );
      expectSameMentions(prefetching, plain(reference));
      // Searched again on top of staged changes, the bytes searched before still answer for
      // the files that did not change.
      const staged = new StagedTree(prefetching);
      staged.write(`${ROOT}/src/auth/token.service.ts`, "// token.service é\n");
      staged.delete(`${ROOT}/src/app.module.ts`);
      expectSameMentions(staged, plain(staged));
      for (const target of TARGETS) {
        for (const except of exceptSets()) {
          expect(importersOf(on(prefetching), ROOT, target, except)).toEqual(
            importersOf(on(plain(reference)), ROOT, target, except),
          );
        }
      }
      expect(answers(prefetching)).toEqual(answers(reference));
    },
  );

  it("reads what a walk reads, byte for byte, whatever the entries are", () => {
    const dir = freshDir();
    const write = (file: string, content: string | Buffer) =>
      writeFile(dir, file, content);
    write(`${ROOT}/src/utf8.ts`, "export const s = 'é ✓ 𝄞';\n");
    write(`${ROOT}/src/invalid.ts`, MALFORMED_UTF8);
    write(`${ROOT}/src/bom.ts`, "\uFEFFexport {};\n");
    write(`${ROOT}/src/empty.ts`, "");
    write(`${ROOT}/src/folder.ts/inside.ts`, "export {};\n"); // a folder named like a file
    write(`${ROOT}/src/node_modules/pkg/index.ts`, "export {};\n");
    write(`${ROOT}/src/dotted.dir/x.ts`, "export {};\n");
    write(`${ROOT}/elsewhere/target.ts`, "export const t = 1;\n");
    write(`${ROOT}/src/README.md`, "# not a source\n");
    fs.symlinkSync(
      path.join(dir, ROOT, "elsewhere"),
      path.join(dir, ROOT, "src/linked"),
    );
    fs.symlinkSync(
      path.join(dir, ROOT, "elsewhere/target.ts"),
      path.join(dir, ROOT, "src/link.ts"),
    );
    fs.symlinkSync(
      path.join(dir, ROOT, "nowhere.ts"),
      path.join(dir, ROOT, "src/dangling.ts"),
    );
    // no scripts/ folder at all
    const prefetching = prefetchingTree(dir);
    prefetching.settle();
    const reference = new DiskTree(dir);
    expect(answers(prefetching)).toEqual(answers(reference));
    expect(prefetching.read(`${ROOT}/src/invalid.ts`)).toBe(
      fs.readFileSync(path.join(dir, ROOT, "src/invalid.ts"), "utf8"),
    );
    expect(() => prefetching.read(`${ROOT}/src/folder.ts`)).toThrow();
    expect(sourceFiles(on(prefetching), ROOT)).toEqual(
      sourceFiles(on(reference), ROOT),
    );
  });

  it.each([1, 2, 3])(
    "finds the strings it expects together as it finds each alone (seed %i)",
    (seed) => {
      const rand = random(seed);
      const dir = freshDir();
      writeRepo(dir, rand);
      const together = prefetchingTree(dir);
      // Overlapping and nested needles, one non-ASCII (searched alone whatever is expected).
      together.expectSearches(ROOT, [
        "token.service",
        "token",
        "service",
        "constants",
        "import",
        "é",
      ]);
      expectSameMentions(together, plain(new DiskTree(dir)));
    },
  );

  it.each([
    [1, SLAB_BYTES],
    [2, 256],
    [3, 128],
  ])(
    "the worker looks for the expected strings in what it reads, and finds what a read finds (seed %i, buffers of %s bytes)",
    (seed, slabBytes) => {
      const rand = random(seed);
      const dir = freshDir();
      writeRepo(dir, rand);
      const needles = ["token.service", "token", "service", "import", "{"];
      const src = `${ROOT}/src`;
      // Given before it starts: it searches every buffer of src, none of scripts.
      const prefetch = new Prefetch(dir, [src, `${ROOT}/scripts`], slabBytes, {
        [src]: needles,
      });
      const answers = prefetch.take();
      let files = 0;
      let hits = 0;
      for (const answer of answers) {
        if (answer.dir !== src || answer.files.length === 0) {
          expect(answer.searched).toBeUndefined();
          continue;
        }
        expect(answer.searched?.needles).toEqual(needles);
        answer.files.forEach((file, i) => {
          const text = fs.readFileSync(path.join(dir, file), "utf8");
          needles.forEach((needle, n) => {
            const found = answer.searched!.hits[n].includes(i);
            expect([file, needle, found]).toEqual([
              file,
              needle,
              text.includes(needle),
            ]);
            if (found) hits++;
          });
          files++;
        });
      }
      expect(files).toBeGreaterThan(10);
      expect(hits).toBeGreaterThan(10);
      // The tree told before its worker starts, and after: the same answers as reading.
      const before = new DiskTree(dir, { cache: true });
      before.expectSearches(ROOT, needles);
      before.prefetch([src, `${ROOT}/scripts`], slabBytes);
      expectSameMentions(before, plain(new DiskTree(dir)));
      const after = prefetchingTree(dir, slabBytes);
      after.expectSearches(ROOT, needles);
      expectSameMentions(after, plain(new DiskTree(dir)));
    },
  );

  it("finds a string in the worker's bytes exactly where the decoded text has it", () => {
    const dir = freshDir();
    const write = (file: string, content: string | Buffer) =>
      writeFile(dir, file, content);
    // Read end to end by the worker: a needle must not be found across two files.
    write(`${ROOT}/src/a1.ts`, "// token");
    write(`${ROOT}/src/a2.ts`, ".service\n");
    write(`${ROOT}/src/a3.ts`, "");
    write(`${ROOT}/src/a4.ts`, "token.service");
    write(`${ROOT}/src/a5.ts`, "token.service\r\n"); // CRLF: the text has "\n"
    // Malformed UTF-8 around ASCII: ( follows a broken sequence and stays.
    write(`${ROOT}/src/invalid.ts`, MALFORMED_UTF8);
    write(`${ROOT}/src/utf8.ts`, "export const s = 'é ✓';\n");
    write(`${ROOT}/src/bom.ts`, "\uFEFFexport {};\n");
    const prefetching = prefetchingTree(dir);
    const together = prefetchingTree(dir);
    together.expectSearches(ROOT, [
      "token.service",
      "token",
      "service\n",
      "(",
      "a(",
    ]);
    // Told before its worker starts: the worker searches its bytes.
    const told = new DiskTree(dir, { cache: true });
    told.expectSearches(ROOT, ["token.service", "token", "(", "a("]);
    told.prefetch([`${ROOT}/src`, `${ROOT}/scripts`]);
    const reference = plain(new DiskTree(dir));
    const search = (tree: ReadTree, needle: string) =>
      sourcesMentioning(on(tree), ROOT, needle).map((f) =>
        f.slice(ROOT.length + 5),
      );
    const cases: Array<[string, string[]]> = [
      ["token.service", ["a4.ts", "a5.ts"]],
      ["token", ["a1.ts", "a4.ts", "a5.ts"]],
      ["service\n", ["a2.ts", "a5.ts"]],
      ["a(", []], // the decoded text has U+FFFD between them
      ["(", ["invalid.ts"]],
      ["é ✓", ["utf8.ts"]],
      ["\uFFFD", ["invalid.ts"]],
      ["\uFEFFexport", []], // the rules see the text after the byte order mark
      ["export", ["bom.ts", "utf8.ts"]],
    ];
    for (const [needle, files] of cases) {
      expect(search(reference, needle)).toEqual(files);
      expect(search(prefetching, needle)).toEqual(files);
      expect(search(together, needle)).toEqual(files);
      expect(search(told, needle)).toEqual(files);
    }
  });

  it("keeps what the tree saw first: a read before settle() stands", () => {
    const dir = freshDir();
    const file = `${ROOT}/src/a.ts`;
    fs.mkdirSync(path.join(dir, ROOT, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, file), "first\n");
    const tree = new DiskTree(dir, { cache: true });
    expect(tree.read(file)).toBe("first\n");
    expect(tree.list(`${ROOT}/src`)).toEqual(["a.ts"]);
    fs.writeFileSync(path.join(dir, file), "second\n");
    fs.writeFileSync(path.join(dir, ROOT, "src/b.ts"), "b\n");
    tree.prefetch([`${ROOT}/src`]); // the worker sees the second state
    tree.settle();
    expect(tree.read(file)).toBe("first\n");
    expect(tree.list(`${ROOT}/src`)).toEqual(["a.ts"]);
    // Not seen before: the worker's read, kept as the tree's (gone from disk since).
    fs.rmSync(path.join(dir, ROOT, "src/b.ts"));
    expect(tree.read(`${ROOT}/src/b.ts`)).toBe("b\n");
  });

  it("does nothing on a tree that does not cache", () => {
    const dir = freshDir();
    const file = `${ROOT}/src/a.ts`;
    fs.mkdirSync(path.join(dir, ROOT, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, file), "first\n");
    const tree = new DiskTree(dir);
    tree.prefetch([`${ROOT}/src`]);
    tree.settle();
    fs.writeFileSync(path.join(dir, file), "second\n");
    expect(tree.read(file)).toBe("second\n");
  });
});
