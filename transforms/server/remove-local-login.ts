/**
 * server/remove-local-login: deletes the files of the local login path (login controller and
 * service, token service, secret factory, Basic strategy leftovers, and their tests).
 *
 * A file goes only when nothing that stays imports it: the rules before this one rewrote the
 * generated importers (AuthModule, AuthResolver, JwtStrategy), so a remaining importer is
 * code a user wrote on top of the login path. Then the run stops and names it, and the
 * members it uses. Generated files a user extended with new members are refused the same way.
 */
import type { FileEdit } from "../../src/plan/rule";
import { importersOf } from "../lib/source-files";
import { refuse } from "../lib/refusal";

/** Files of the local login path, relative to the server root. */
export const LOCAL_LOGIN_FILES = [
  "src/auth/auth.controller.ts",
  "src/auth/auth.service.ts",
  "src/auth/auth.service.spec.ts",
  "src/auth/token.service.ts",
  "src/auth/base/token.service.base.ts",
  "src/auth/ITokenService.ts",
  "src/auth/LoginArgs.ts",
  "src/auth/constants.ts",
  "src/auth/jwt/jwtSecretFactory.ts",
  "src/auth/basic/basic.strategy.ts",
  "src/auth/basic/base/basic.strategy.base.ts",
  "src/auth/basic/basicAuth.guard.ts",
  "src/auth/gqlBasicAuth.guard.ts",
  "src/tests/auth/token.service.spec.ts",
  "src/tests/auth/jwt/jwt.strategy.spec.ts",
  "src/tests/auth/basic/basic.strategy.spec.ts",
] as const;

/** Class members the generator writes in the files users tend to extend. */
const GENERATED_MEMBERS: Record<
  string,
  { className: string; members: string[] }
> = {
  "src/auth/token.service.ts": {
    className: "TokenService",
    members: ["decodeToken"],
  },
  "src/auth/auth.service.ts": {
    className: "AuthService",
    members: ["constructor", "validateUser", "login"],
  },
  "src/auth/auth.controller.ts": {
    className: "AuthController",
    members: ["constructor", "login"],
  },
};

const removeLocalLogin: FileEdit = (source, context, file) => {
  if (source === undefined) return undefined;
  const root = context.profile.server.root;
  const relative = file.slice(root.length + 1);
  const removed = new Set(LOCAL_LOGIN_FILES.map((f) => `${root}/${f}`));

  const generated = GENERATED_MEMBERS[relative];
  if (generated) {
    const added = classMembers(source, generated.className).filter(
      (m) => !generated.members.includes(m),
    );
    if (added.length > 0) {
      refuse(
        `${generated.className} has members a user added (${added.join(", ")}); the file belongs to the local login path, which Auth0 replaces`,
        `move ${added.join(", ")} out of ${generated.className} into a service of your own, then run again; or turn this rule off`,
      );
    }
  }

  const importers = importersOf(context.sources, root, file, removed);
  if (importers.length > 0) {
    const uses = importers.map(({ importer, names }) => {
      const members = membersUsed(context.tree.read(importer) ?? "", names);
      return `${importer} (imports ${names.join(", ")}${members.length ? `; uses ${members.join(", ")}` : ""})`;
    });
    refuse(
      `it belongs to the local login path, which Auth0 replaces, but code that stays still uses it: ${uses.join("; ")}`,
      "move that code off the local login (Auth0 now issues the tokens), then run again; or turn this rule off to keep the file",
    );
  }
  return null;
};

/** Method and property names declared in a class, by reading its body's two-space-indented lines. */
function classMembers(source: string, className: string): string[] {
  const start = new RegExp(`class\\s+${className}\\b[^{]*\\{`).exec(source);
  if (!start) return [];
  const members: string[] = [];
  let depth = 1;
  let line = "";
  for (const char of source.slice(start.index + start[0].length)) {
    if (char === "{") depth += 1;
    if (char === "}" && --depth === 0) break;
    if (char === "\n") {
      const member =
        depth === 1 || depth === 2
          ? /^\s{2}(?:@\w+\([^)]*\)\s*)*(?:(?:public|private|protected|static|readonly|async|get|set)\s+)*(\w+)\s*[(:=<]/.exec(
              line,
            )
          : null;
      if (member && !members.includes(member[1]) && /^\s{2}\S/.test(line))
        members.push(member[1]);
      line = "";
    } else line += char;
  }
  return members;
}

/** `tokenService.createRefreshToken`-style calls on instances of the imported classes. */
function membersUsed(source: string, names: string[]): string[] {
  const found = new Set<string>();
  for (const name of names) {
    if (name === "default" || name === "*") continue;
    const instance = name[0].toLowerCase() + name.slice(1);
    for (const match of source.matchAll(
      new RegExp(`\\b(?:this\\.)?${instance}\\.(\\w+)`, "g"),
    )) {
      found.add(`${instance}.${match[1]}`);
    }
  }
  return [...found];
}

export default removeLocalLogin;
