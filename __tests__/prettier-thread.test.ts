/**
 * src/format/prettier-thread.ts and StagedTree.writeLater: Prettier on a worker thread gives
 * formatSource's bytes, its errors come out where the result is taken, and a tree holds a
 * later write's content from the write on, made when first read.
 */
import * as os from "node:os";
import * as path from "node:path";
import { Formatter, formatSource } from "../src/format/format";
import { PrettierThread } from "../src/format/prettier-thread";
import { StagedTree } from "../src/tree/staged-tree";
import type { SearchableTree } from "../src/tree/read-tree";

const SERVER = `import {Injectable} from '@nestjs/common'
@Injectable()
export class A { constructor(private readonly b: string) {} async c() { return {d: this.b, e: [1,2,3]} } }
`;
const ADMIN = `import * as React from 'react'
export const Page = () => <div className='x'><span>{"a"}</span></div>
`;

describe("PrettierThread", () => {
  const thread = new PrettierThread();
  afterAll(() => thread.close());

  it("formats as Prettier does in this thread, for .ts and .tsx, in the order asked", async () => {
    const root = os.tmpdir();
    const formatter = new Formatter(root, thread);
    const server = await formatter.formatLater(SERVER, path.join(root, "a.ts"));
    const admin = await formatter.formatLater(ADMIN, path.join(root, "b.tsx"));
    expect(server).toBeDefined();
    expect(admin).toBeDefined();
    // taken in the other order than asked
    expect(admin!()).toBe(
      await formatSource(ADMIN, path.join(root, "b.tsx"), root),
    );
    expect(server!()).toBe(
      await formatSource(SERVER, path.join(root, "a.ts"), root),
    );
    expect(server!()).toContain('import { Injectable } from "@nestjs/common";');
  });

  it("throws Prettier's error, with its message, where the result is taken", async () => {
    const here = await formatSource(
      "const = ;",
      path.join(os.tmpdir(), "broken.ts"),
      os.tmpdir(),
    ).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(here?.message).toMatch(/^Variable declaration expected/);
    const later = thread.formatLater("const = ;", {
      filepath: "broken.ts",
      endOfLine: "lf",
    });
    expect(later).toBeDefined();
    expect(() => later!()).toThrow(here!.message);
    // the thread goes on with the next text
    expect(thread.formatLater("const a=1", { filepath: "a.ts" })!()).toBe(
      "const a = 1;\n",
    );
  });

  it("leaves to the caller options that cannot cross to a thread (a plugin object)", () => {
    expect(
      thread.formatLater("a", { filepath: "a.ts", plugins: [{ parsers: {} }] }),
    ).toBeDefined(); // a plain object crosses
    expect(
      thread.formatLater("a", { filepath: "a.ts", plugins: [() => undefined] }),
    ).toBeUndefined();
  });

  it("takes nothing once closed", async () => {
    const closed = new PrettierThread();
    closed.close();
    expect(closed.formatLater("a", { filepath: "a.ts" })).toBeUndefined();
    expect(
      await new Formatter(os.tmpdir(), closed).formatLater(
        "a",
        path.join(os.tmpdir(), "a.ts"),
      ),
    ).toBeUndefined();
  });
});

describe("StagedTree.writeLater", () => {
  const base = (files: Record<string, string>): SearchableTree => ({
    revision: 0,
    read: (file) => files[file],
    isDirectory: (dir) =>
      Object.keys(files).some((file) => file.startsWith(`${dir}/`)),
    list: (dir) => [
      ...new Set(
        Object.keys(files)
          .filter((file) => file.startsWith(`${dir}/`))
          .map((file) => file.slice(dir.length + 1).split("/")[0]),
      ),
    ],
  });

  it("makes the content when the file is first read, once, and the revision moves at the write", () => {
    const tree = new StagedTree(base({ "src/a.ts": "old" }));
    const revision = tree.revision;
    let made = 0;
    tree.writeLater("src/a.ts", () => {
      made += 1;
      return "new";
    });
    expect(made).toBe(0);
    const written = tree.revision;
    expect(written).not.toBe(revision);
    expect(tree.read("src/a.ts")).toBe("new");
    expect(tree.read("src/a.ts")).toBe("new");
    expect(made).toBe(1);
    expect(tree.revision).toBe(written);
  });

  it("lists a new file before its content is made, and makes every content for the changes", () => {
    const tree = new StagedTree(base({ "src/a.ts": "a" }));
    let made = 0;
    tree.writeLater("src/auth/b.ts", () => {
      made += 1;
      return "b";
    });
    expect(tree.list("src")).toEqual(["a.ts", "auth"]);
    expect(tree.isDirectory("src/auth")).toBe(true);
    expect(made).toBe(0);
    expect([...tree.changes]).toEqual([["src/auth/b.ts", "b"]]);
    expect(made).toBe(1);
  });

  it("drops the change when the content made is the file's own, as a write of it does", () => {
    const tree = new StagedTree(base({ "src/a.ts": "same" }));
    tree.writeLater("src/a.ts", () => "same");
    expect(tree.diff()).toEqual([]);
  });

  it("a write or delete after a later write replaces it, which is then never made", () => {
    const tree = new StagedTree(base({ "src/a.ts": "a", "src/b.ts": "b" }));
    const never = () => {
      throw new Error("made");
    };
    tree.writeLater("src/a.ts", never);
    tree.write("src/a.ts", "written");
    tree.writeLater("src/b.ts", never);
    tree.delete("src/b.ts");
    expect(tree.read("src/a.ts")).toBe("written");
    expect(tree.read("src/b.ts")).toBeUndefined();
    expect(tree.list("src")).toEqual(["a.ts"]);
  });
});
