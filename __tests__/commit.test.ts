/** The all-or-nothing writer on its own: creates, updates and deletes, and the way back. */
import * as fs from "node:fs";
import * as path from "node:path";
import { commit, CommitError, type CommitFs } from "../src/commit/commit";
import {
  hashTree,
  readFolders,
  readTree,
  tempDir,
  writeFiles,
} from "./helpers/files";

const start = { "a.txt": "a\n", "old/gone.ts": "gone\n", "keep.txt": "keep\n" };
const changes = [
  { file: "a.txt", before: "a\n", after: "A\n" },
  { file: "new/dir/created.ts", before: undefined, after: "created\n" },
  { file: "old/gone.ts", before: "gone\n", after: undefined },
];

function failingOn(call: number): CommitFs {
  let renames = 0;
  return {
    writeFileSync: (f, c) => fs.writeFileSync(f, c),
    renameSync: (from, to) => {
      if (++renames === call) throw new Error("simulated failure");
      fs.renameSync(from, to);
    },
    unlinkSync: (f) => fs.unlinkSync(f),
    mkdirSync: (d, o) => void fs.mkdirSync(d, o),
    existsSync: (f) => fs.existsSync(f),
  };
}

describe("commit", () => {
  it("writes updates, creates files in new folders and deletes files", () => {
    const dir = writeFiles(tempDir(), start);
    commit(dir, changes);
    expect(Object.fromEntries(readTree(dir))).toEqual({
      "a.txt": "A\n",
      "keep.txt": "keep\n",
      "new/dir/created.ts": "created\n",
    });
  });

  it("removes the folders its deletions emptied, and no other", () => {
    const dir = writeFiles(tempDir(), {
      "src/auth/base/token.ts": "t\n",
      "src/auth/base/deep/more.ts": "m\n",
      "src/auth/kept.ts": "k\n",
      "src/tests/auth/jwt/jwt.spec.ts": "s\n",
    });
    fs.mkdirSync(path.join(dir, "empty-before"));
    commit(dir, [
      { file: "src/auth/base/token.ts", before: "t\n", after: undefined },
      { file: "src/auth/base/deep/more.ts", before: "m\n", after: undefined },
      {
        file: "src/tests/auth/jwt/jwt.spec.ts",
        before: "s\n",
        after: undefined,
      },
    ]);
    expect(readFolders(dir)).toEqual(["empty-before", "src", "src/auth"]);
  });

  it.each([1, 2, 3])(
    "leaves the tree as it was when rename %i fails",
    (call) => {
      const dir = writeFiles(tempDir(), start);
      const hash = hashTree(dir);
      expect(() => commit(dir, changes, failingOn(call))).toThrow(CommitError);
      expect(hashTree(dir)).toBe(hash);
      expect(fs.existsSync(path.join(dir, "new"))).toBe(false);
    },
  );
});
