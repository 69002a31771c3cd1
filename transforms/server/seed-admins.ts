/**
 * server/seed-admins: scripts/seed.ts seeds the first administrators instead of `admin`/`admin`.
 *
 * The generated seed upserts a user `admin` with the bcrypt hash of "admin" (salt from
 * BCRYPT_SALT) and the role `user`: nobody can sign in with it once Auth0 does the signing in.
 * With user.roles.source "database", the seed upserts each of `user.admins` by email with
 * `user.adminRoles` (default: every role of src/grants.json), and a random, never used password
 * where the entity requires one. With source "auth0", `provision` grants their roles in Auth0
 * and their first sign-in creates their users, so nothing is upserted here; with
 * user.createMissingUsers off too, no sign-in creates a user, so the seed upserts theirs, with no
 * stored roles (they are read from the token). The rest of the script (the client, customSeed,
 * a user's additions) stays; BCRYPT_SALT is no longer read unless the user's own code still uses
 * the salt. A seed without the admin upsert (some builds) stays as it is when nobody is upserted.
 */
import type {
  API,
  ASTPath,
  Collection,
  FileInfo,
  FunctionDeclaration,
  Transform,
} from "jscodeshift";
import type { RuleContext } from "../../src/plan/rule";
import { grantRoles } from "../lib/grants";
import {
  ensureNamedImport,
  joinNewImports,
  removeUnusedImports,
} from "../lib/imports";
import { pickParser } from "../lib/parser";
import {
  readModel,
  requiredOnCreate,
  type ModelField,
} from "../lib/prisma-model";
import { describeField } from "../lib/user-fields";
import { refuse, type Refuse } from "../lib/refusal";
import { inService } from "../../src/config/service-path";

type Statement = { type: string; [key: string]: unknown };

const transform: Transform = (file: FileInfo, api: API, options) => {
  const context = options.context as RuleContext;
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const root = j(file.source);
  const seeds = root.find(j.FunctionDeclaration, { id: { name: "seed" } });
  if (seeds.size() !== 1) {
    return refuse(
      "no function seed was found",
      "restore the generated scripts/seed.ts (put your own seeding in scripts/customSeed.ts)",
    );
  }
  const seed = (seeds.get() as ASTPath<FunctionDeclaration>).node;
  const body = seed.body.body as unknown as Statement[];
  const source = (node: unknown) => j(node as never).toSource();

  // The generated pair (`const data = {...}` + `await client.<entity>.upsert(...)`), or ours.
  const at = body.findIndex(
    (statement, i) =>
      (isDeclarationOf(statement, "data") &&
        /^await\s+client\.\w+\.upsert\(/.test(source(body[i + 1] ?? {})) &&
        /\bcreate:\s*data\b/.test(source(body[i + 1]))) ||
      (isDeclarationOf(statement, "admins") && body[i + 1] !== undefined),
  );
  if (at === -1) {
    // Some builds generate a seed without the admin upsert: with nobody to upsert, it stays.
    if (!upsertsAdmins(context)) return undefined;
    const { admins } = context.config.user;
    return refuse(
      `the seed function has neither the generated admin upsert nor the administrators this rule writes, so the ${admins.length} administrators of user.admins have nowhere to go`,
      `add the admin upsert to seed() (\`const data = { ... };\` followed by \`await client.${context.profile.server.entity!.camel}.upsert({ where: { ... }, update: {}, create: data });\`), which this rule turns into their upserts, or empty user.admins and create the first administrator by hand`,
      { turnOffIf: "you seed the administrators yourself" },
    );
  }
  const block = j(renderAdmins(context, refuse)).find(j.Program).get().node
    .body as Statement[];
  const current = body.slice(at, at + 2);
  let changed = false;
  if (
    current.map(normalized(source)).join("") !==
    block.map(normalized(source)).join("")
  ) {
    body.splice(at, 2, ...block);
    changed = true;
  }
  if (dropSalt(j, root, seed)) changed = true;
  if (!changed) return undefined;

  if (block.some((s) => source(s).includes("randomBytes(")))
    ensureNamedImport(j, root, "randomBytes", "crypto");
  removeUnusedImports(j, root);
  return joinNewImports(
    root.toSource({ quote: "double", trailingComma: true }),
    file.source,
  );
};

/**
 * Whether the seed upserts anyone: not without user.admins, nor when their first sign-in creates
 * their users (roles from Auth0, user.createMissingUsers on).
 */
function upsertsAdmins({ config }: RuleContext): boolean {
  if (config.user.admins.length === 0) return false;
  return !(
    config.user.roles.source === "auth0" && config.user.createMissingUsers
  );
}

/** The statements that seed the administrators: a list and one upsert per email. */
function renderAdmins(context: RuleContext, refuse: Refuse): string {
  const { config, profile } = context;
  const entity = profile.server.entity!;
  const { emailField } = config.user;
  const fromAuth0 = config.user.roles.source === "auth0";
  if (fromAuth0 && config.user.createMissingUsers) {
    return `// The first administrators (user.admins) get their roles in Auth0 (user.roles.source
// "auth0") from \`amplication-auth0 provision\`; their users are created at first sign-in.
const admins: string[] = ${JSON.stringify(config.user.admins)};
console.info(\`Administrators, with their roles in Auth0: \${admins.join(", ") || "none"}\`);`;
  }
  // With roles from Auth0 the stored roles are never read; without user.createMissingUsers no
  // sign-in creates a user, so the seed creates the first administrators' own.
  const roles = fromAuth0 ? [] : adminRoles(context, refuse);
  if (config.user.admins.length === 0) {
    return `// No first administrator is seeded: user.admins in auth0.config.json is empty. Add their
// emails there and run \`amplication-auth0 apply\` again.
const admins: string[] = [];
console.info(\`Administrators: \${admins.join(", ") || "none"}\`);`;
  }
  const schemaFile = inService(profile.server.root, "prisma/schema.prisma");
  const fields = readModel(context.tree.read(schemaFile) ?? "", entity.name);
  if (!fields) {
    return refuse(
      `${schemaFile} has no model ${entity.name}`,
      "restore the generated Prisma schema",
    );
  }
  const values = new Map<string, string>([[emailField, "email"]]);
  if (fields.some((f) => f.name === "roles"))
    values.set("roles", JSON.stringify(roles));
  const missing: ModelField[] = [];
  const shared: ModelField[] = [];
  for (const field of requiredOnCreate(fields)) {
    if (values.has(field.name)) continue;
    const configured = config.user.defaultValues[field.name];
    if (configured !== undefined) {
      values.set(field.name, JSON.stringify(configured));
      if (field.unique) shared.push(field);
    } else if (field.name === "username" && field.type === "String")
      values.set(field.name, "email");
    else if (field.name === "password" && field.type === "String")
      values.set(field.name, 'randomBytes(32).toString("hex")');
    else missing.push(field);
  }
  if (missing.length > 0) {
    const reason = `${entity.name} has required fields the config gives no value for the seeded administrators (a claim mapping needs a token): ${missing.map(describeField).join(", ")}`;
    const fix =
      "set user.defaultValues.<field> for each, or empty user.admins and grant the first role by hand";
    refuse(reason, fix, {
      configProblems: [
        { path: "user.defaultValues", message: `${reason}; ${fix}` },
      ],
    });
  }
  // A constant in a unique field (allowed with user.createMissingUsers off): one administrator only.
  if (shared.length > 0 && config.user.admins.length > 1) {
    const reason = `user.defaultValues gives every seeded administrator the same ${shared.map((f) => `${entity.name}.${f.name}`).join(", ")}, which ${shared.length === 1 ? "is" : "are"} unique: the seed would fail on the second of the ${config.user.admins.length} in user.admins`;
    const fix = `list one administrator in user.admins and add the others in the admin UI, or give ${shared.map((f) => `${entity.name}.${f.name}`).join(", ")} a default in the Prisma schema (in Amplication) and take ${shared.length === 1 ? "it" : "them"} out of user.defaultValues`;
    refuse(reason, fix, {
      configProblems: [{ path: "user.admins", message: `${reason}; ${fix}` }],
    });
  }
  const create = [...values]
    .map(([field, value]) => `${field}: ${value},`)
    .join("\n");
  const password = values.has("password")
    ? ": the password is random and never used"
    : "";
  const comment = fromAuth0
    ? `// The first administrators (user.admins in auth0.config.json). No sign-in creates a user
// (user.createMissingUsers is off), so the seed creates theirs; their roles come from Auth0
// (user.roles.source "auth0"), granted by \`amplication-auth0 provision\`. They sign in with
// Auth0${password}.`
    : `// The first administrators (user.admins in auth0.config.json) with user.adminRoles. They
// sign in with Auth0${password}.`;
  return `${comment}
const admins: string[] = ${JSON.stringify(config.user.admins)};
for (const email of admins) {
  await client.${entity.camel}.upsert({
    where: { ${emailField}: email },
    update: ${fromAuth0 ? "{}" : `{ roles: ${JSON.stringify(roles)} }`},
    create: {
      ${create}
    },
  });
}`;
}

/** user.adminRoles, each a role of src/grants.json; by default all of them. */
export function adminRoles(
  context: RuleContext,
  refuse: (reason: string, fix: string) => never,
): string[] {
  const grants = grantRoles(context);
  if ("problem" in grants) {
    return refuse(
      `${grants.problem}, and the administrators' roles are those it names`,
      "restore the generated src/grants.json",
    );
  }
  const wanted = context.config.user.adminRoles ?? grants.roles;
  const unknown = wanted.filter((role) => !grants.roles.includes(role));
  if (unknown.length > 0) {
    return refuse(
      `user.adminRoles names ${unknown.map((r) => `"${r}"`).join(", ")}, which src/grants.json does not have (it has ${grants.roles.join(", ")})`,
      "name roles of src/grants.json in user.adminRoles, or leave it out to give every role",
    );
  }
  return wanted;
}

/**
 * The seed no longer hashes a password, so it no longer needs BCRYPT_SALT: `seed(salt)` becomes
 * `seed()` and the variable's checks go, unless the user's own code still uses the salt.
 */
function dropSalt(
  j: API["jscodeshift"],
  root: Collection,
  seed: FunctionDeclaration,
): boolean {
  const param = seed.params[0] as { name?: string } | undefined;
  if (seed.params.length !== 1 || !param?.name) return false;
  const saltName = param.name;
  const uses = (name: string) => root.find(j.Identifier, { name }).size();
  // The parameter itself is the one use left when the body does not read it.
  if (uses(saltName) !== 1) return false;
  seed.params = [];
  const calls = root.find(j.CallExpression, { callee: { name: "seed" } });
  const argument =
    calls.size() === 1 ? calls.get().node.arguments[0] : undefined;
  calls.forEach((path) => {
    path.node.arguments = [];
  });
  const saltVariable = (argument as { name?: string } | undefined)?.name;
  if (saltVariable && uses(saltVariable) === 1) {
    root
      .find(j.VariableDeclarator, { id: { name: saltVariable } })
      .forEach((path) => j(path.parent).remove());
  }
  // `const { BCRYPT_SALT } = process.env;` and `if (!BCRYPT_SALT) throw ...`, once nothing else
  // reads it.
  const envName = "BCRYPT_SALT";
  const mentions = (text: string) =>
    (text.match(new RegExp(`\\b${envName}\\b`, "g")) ?? []).length;
  const ifs = root
    .find(j.IfStatement)
    .filter((path) => j(path.node.test).toSource() === `!${envName}`);
  const declarations = root
    .find(j.VariableDeclaration)
    .filter(
      (path) =>
        j(path.node).toSource().replace(/\s+/g, "") ===
        `const{${envName}}=process.env;`,
    );
  const inThem = [...ifs.nodes(), ...declarations.nodes()]
    .map((node) => mentions(j(node).toSource()))
    .reduce((a, b) => a + b, 0);
  if (mentions(root.toSource()) === inThem) {
    ifs.remove();
    declarations.remove();
  }
  return true;
}

function isDeclarationOf(statement: Statement, name: string): boolean {
  if (statement.type !== "VariableDeclaration") return false;
  const declarations = statement.declarations as Array<{
    id?: { name?: string };
  }>;
  return declarations.length === 1 && declarations[0]?.id?.name === name;
}

const normalized =
  (source: (node: unknown) => string) =>
  (node: unknown): string =>
    source(node).replace(/\s+/g, "");

export default transform;
