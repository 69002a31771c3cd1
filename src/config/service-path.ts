/**
 * Paths inside a service. A service's root is repository-relative, "." when the service is the
 * repository itself (a config may list `"server": "."`): every path under a root is made here,
 * so that such a service's files have the same names ("src/main.ts") as the tree gives them.
 */

/** Whether a service root is the repository's own root. */
export function isRepositoryRoot(root: string): boolean {
  return root === "." || root === "";
}

/** The repository-relative path of `file` (relative to the service) under `root`. */
export function inService(root: string, file: string): string {
  return isRepositoryRoot(root) ? file : `${root}/${file}`;
}

/** Whether the repository-relative `file` lies under the folder `root` (a service's, say). */
export function isUnder(file: string, root: string): boolean {
  return isRepositoryRoot(root) || file.startsWith(`${root}/`);
}

/** A root as written in a config ("./apps/x/", "apps//x", ".") in the form the tree uses. */
export function normalRoot(root: string): string {
  const parts = root.split("/").filter((part) => part !== "" && part !== ".");
  return parts.length === 0 ? "." : parts.join("/");
}
