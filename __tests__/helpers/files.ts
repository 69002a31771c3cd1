/** File-tree helpers for tests: temporary copies, snapshots of every file, hashes. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function tempDir(prefix = "aa0-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function copyTree(from: string, to: string = tempDir()): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/** Every file under root (POSIX relative path → content), skipping .git. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        files.set(
          path.relative(root, full).split(path.sep).join("/"),
          fs.readFileSync(full, "utf8"),
        );
    }
  };
  walk(root);
  return files;
}

/** Every folder under root (POSIX relative paths), skipping .git; git keeps no empty ones. */
export function readFolders(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) =>
      path
        .relative(root, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join("/"),
    )
    .filter((folder) => folder !== ".git" && !folder.startsWith(".git/"))
    .sort();
}

export function hashTree(root: string): string {
  const hash = createHash("sha256");
  for (const [file, content] of readTree(root))
    hash.update(`${file}\0${content}\0`);
  return hash.digest("hex");
}

export function writeFiles(
  root: string,
  files: Record<string, string>,
): string {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}
