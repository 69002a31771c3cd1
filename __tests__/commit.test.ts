/** The all-or-nothing writer on its own: creates, updates and deletes, and the way back. */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  commit,
  CommitError,
  nodeCommitFs,
  type CommitFs,
} from "../src/commit/commit";
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

/** Fails the nth call that changes the disk (mkdir, write, link, rename, unlink). */
function failingOn(call: number): CommitFs {
  let calls = 0;
  const failing =
    <A extends unknown[]>(action: (...args: A) => void) =>
    (...args: A) => {
      if (++calls === call) throw new Error("simulated failure");
      action(...args);
    };
  return {
    writeFileSync: failing(nodeCommitFs.writeFileSync),
    renameSync: failing(nodeCommitFs.renameSync),
    unlinkSync: failing(nodeCommitFs.unlinkSync),
    linkSync: failing(nodeCommitFs.linkSync),
    mkdirSync: failing(nodeCommitFs.mkdirSync),
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

  // 2 folders, 2 new contents, 2 backups, 2 renames, 1 unlink
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])(
    "leaves the tree as it was when change %i of the disk fails",
    (call) => {
      const dir = writeFiles(tempDir(), start);
      const hash = hashTree(dir);
      expect(() => commit(dir, changes, { io: failingOn(call) })).toThrow(
        CommitError,
      );
      expect(hashTree(dir)).toBe(hash);
      expect(fs.existsSync(path.join(dir, "new"))).toBe(false);
    },
  );
});

describe("commit's failure says which file, in the repository's terms", () => {
  it("a file-system error names the file it was writing by its repository path, not its temporary name", () => {
    const dir = writeFiles(tempDir(), start);
    const io: CommitFs = {
      ...nodeCommitFs,
      writeFileSync: (file) => {
        throw Object.assign(
          new Error(`EACCES: permission denied, open '${file}'`),
          { code: "EACCES", path: file },
        );
      },
    };
    let message = "";
    try {
      commit(dir, changes, { io });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      "writing the changes: a.txt: permission denied (EACCES) (give the user running the tool read and write access); every file was left as it was",
    );
  });
});

describe("commit keeps what it does not change", () => {
  const modeOf = (file: string) => fs.statSync(file).mode & 0o7777;

  it("keeps every file's mode, and gives a new .env.* beside a .env that .env's mode", () => {
    const dir = writeFiles(tempDir(), {
      ".env": "JWT_SECRET_KEY=x\n",
      "run.sh": "echo old\n",
    });
    fs.chmodSync(path.join(dir, ".env"), 0o600);
    fs.chmodSync(path.join(dir, "run.sh"), 0o750);
    commit(dir, [
      { file: ".env", before: "JWT_SECRET_KEY=x\n", after: "AUTH0=y\n" },
      { file: ".env.local", before: undefined, after: "AUTH0=z\n" },
      { file: "run.sh", before: "echo old\n", after: "echo new\n" },
    ]);
    expect(modeOf(path.join(dir, ".env"))).toBe(0o600);
    expect(modeOf(path.join(dir, ".env.local"))).toBe(0o600);
    expect(modeOf(path.join(dir, "run.sh"))).toBe(0o750);
    expect(fs.readFileSync(path.join(dir, "run.sh"), "utf8")).toBe(
      "echo new\n",
    );
  });

  it("refuses a read-only file and a file edited since it was read, naming both, and writes nothing", () => {
    const dir = writeFiles(tempDir(), {
      "locked.ts": "a\n",
      "edited.ts": "b\n",
    });
    fs.chmodSync(path.join(dir, "locked.ts"), 0o444);
    fs.writeFileSync(path.join(dir, "edited.ts"), "b, edited\n");
    const hash = hashTree(dir);
    expect(() =>
      commit(dir, [
        { file: "edited.ts", before: "b\n", after: "B\n" },
        { file: "locked.ts", before: "a\n", after: "A\n" },
      ]),
    ).toThrow(
      /edited\.ts: was changed while the tool was running[\s\S]*locked\.ts: is read-only \(mode 0444\)/,
    );
    expect(hashTree(dir)).toBe(hash);
    expect(fs.readdirSync(dir).sort()).toEqual(["edited.ts", "locked.ts"]);
  });

  it("an edit made while the files are written (in the old file, now the backup) puts everything back, the edit kept", () => {
    const dir = writeFiles(tempDir(), { "a.ts": "a\n", "b.ts": "b\n" });
    let edited = false;
    const io: CommitFs = {
      ...nodeCommitFs,
      // the user saves b.ts just as the first file is swapped in
      renameSync: (from, to) => {
        if (!edited && to.endsWith("a.ts")) {
          fs.appendFileSync(path.join(dir, "b.ts"), "the user's edit\n");
          edited = true;
        }
        nodeCommitFs.renameSync(from, to);
      },
    };
    expect(() =>
      commit(
        dir,
        [
          { file: "a.ts", before: "a\n", after: "A\n" },
          { file: "b.ts", before: "b\n", after: "B\n" },
        ],
        { io },
      ),
    ).toThrow(
      /b\.ts was changed while the tool was writing[\s\S]*every file was left as it was/,
    );
    expect(edited).toBe(true);
    expect(readTree(dir)).toEqual(
      new Map([
        ["a.ts", "a\n"],
        ["b.ts", "b\nthe user's edit\n"],
      ]),
    );
  });

  it("writes CRLF and a byte order mark back as the file had them", () => {
    const dir = tempDir();
    const file = path.join(dir, "docker-compose.yml");
    fs.writeFileSync(file, "\uFEFFa: 1\r\nb: 2\r\n");
    commit(
      dir,
      [{ file: "docker-compose.yml", before: "a: 1\nb: 2\n", after: "a: 1\n" }],
      { styleOf: () => ({ bom: true, crlf: true }) },
    );
    expect(fs.readFileSync(file)).toEqual(Buffer.from("\uFEFFa: 1\r\n"));
  });

  it("refuses to rewrite a file that is not valid UTF-8, naming the byte offset", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, ".env"), Buffer.from("A=\xe9\n", "latin1"));
    expect(() =>
      commit(dir, [{ file: ".env", before: "A=\uFFFD\n", after: "B=1\n" }], {
        styleOf: () => ({ bom: false, crlf: false, invalidAt: 2 }),
      }),
    ).toThrow(".env: is not valid UTF-8 (the first bad byte is at offset 2)");
  });

  it("refuses a folder that links outside the repository, and writes through a file link inside it", () => {
    const outsideDir = writeFiles(tempDir(), { "x.ts": "x\n" });
    const dir = writeFiles(tempDir(), { "real.ts": "r\n" });
    fs.symlinkSync(outsideDir, path.join(dir, "linked"));
    fs.symlinkSync("real.ts", path.join(dir, "alias.ts"));
    expect(() =>
      commit(dir, [{ file: "linked/x.ts", before: "x\n", after: "X\n" }]),
    ).toThrow(/^linked: is a symbolic link that leads outside the repository/);
    expect(fs.readFileSync(path.join(outsideDir, "x.ts"), "utf8")).toBe("x\n");
    commit(dir, [{ file: "alias.ts", before: "r\n", after: "R\n" }]);
    expect(fs.lstatSync(path.join(dir, "alias.ts")).isSymbolicLink()).toBe(
      true,
    );
    expect(fs.readFileSync(path.join(dir, "real.ts"), "utf8")).toBe("R\n");
  });
});
