/** The all-or-nothing writer on its own: creates, updates and deletes, and the way back. */
import * as fs from "node:fs";
import * as path from "node:path";
import { commit, CommitError, type CommitFs } from "../src/commit/commit";
import { hashTree, readTree, tempDir, writeFiles } from "./helpers/files";

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
