/**
 * Synthetic Amplication apps for the benchmark: the 2025 shape of fixtures/apps/shop-2025
 * (apps/shop-server + apps/shop-admin, JWT auth, Vite + react-admin 5) with N entities: the auth
 * entity User plus N-1 others, each with its module, service, controller, resolver, base files,
 * DTOs and admin List/Create/Edit/Show pages.
 *
 * The fixture is the template, read at run time: every file of it is copied as is, except the
 * Order entity, which is written once per entity with the entity's names, and the files that list
 * the entities (app.module.ts, App.tsx, schema.prisma, grants.json), which list them all.
 * Deterministic: the same N gives the same bytes.
 *
 *   node dist/scripts/bench/generate-app.js <N> [outDir]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../src/package-info";

/** The template app, relative to the package root. */
export const TEMPLATE_APP = "fixtures/apps/shop-2025";
const SERVER = "apps/shop-server";
const ADMIN = "apps/shop-admin";

/** Folders of the template's non-auth entity (Order), relative to the app root. */
const ENTITY_DIRS = [
  `${SERVER}/src/order`,
  `${ADMIN}/src/order`,
  `${ADMIN}/src/api/order`,
];

/** Nouns whose plural is noun + "s" and whose folder names clash with nothing in src/. */
const NOUNS = [
  "Order",
  "Product",
  "Invoice",
  "Shipment",
  "Payment",
  "Review",
  "Coupon",
  "Warehouse",
  "Supplier",
  "Ticket",
  "Project",
  "Task",
  "Comment",
  "Tag",
  "Article",
  "Booking",
  "Vehicle",
  "Contract",
  "Store",
  "Device",
  "Campaign",
  "Customer",
  "Employee",
  "Department",
  "Note",
  "Plan",
  "Team",
  "Room",
  "Course",
  "Lesson",
];

export interface EntityNames {
  /** PascalCase: Product2 */
  pascal: string;
  /** camelCase, also the folder name: product2 */
  camel: string;
  /** UPPER: PRODUCT2 */
  upper: string;
}

/** The n-1 non-auth entities of an n-entity app, Order first. */
export function entityNames(n: number): EntityNames[] {
  if (!Number.isInteger(n) || n < 2)
    throw new Error(
      `N must be an integer ≥ 2 (User + at least one entity), got ${n}`,
    );
  const names: EntityNames[] = [];
  for (let i = 0; i < n - 1; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const round = Math.floor(i / NOUNS.length);
    const pascal = round === 0 ? noun : `${noun}${round + 1}`;
    names.push({
      pascal,
      camel: pascal[0].toLowerCase() + pascal.slice(1),
      upper: pascal.toUpperCase(),
    });
  }
  return names;
}

/**
 * The Order entity's text with another entity's names. `SortOrder`, `orderBy` and the
 * `...OrderByInput` suffix belong to the generator, not to the entity, and stay.
 */
export function renameOrder(text: string, to: EntityNames): string {
  return text
    .replace(/ORDER(?=_)/g, to.upper)
    .replace(/(?<!Sort)Order(?!ByInput)/g, to.pascal)
    .replace(/order(?!By)/g, to.camel);
}

export interface GeneratedApp {
  /** The repository root: apps/shop-server, apps/shop-admin and auth0.config.json. */
  dir: string;
  server: string;
  admin: string;
  configFile: string;
  entities: number;
  files: number;
}

/**
 * Writes an n-entity app into outDir (created; must be empty or absent), or into a new
 * temporary folder.
 */
export function generateApp(n: number, outDir?: string): GeneratedApp {
  const entities = entityNames(n);
  const templateRoot = path.join(packageRoot(), TEMPLATE_APP);
  const input = path.join(templateRoot, "input");
  const dir =
    outDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), `amplication-auth0-bench-${n}-`));
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);

  let files = 0;
  const write = (file: string, content: string | Buffer) => {
    const target = path.join(dir, ...file.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    files += 1;
  };
  const read = (file: string) =>
    fs.readFileSync(path.join(input, ...file.split("/")), "utf8");

  const special: Record<string, (text: string) => string> = {
    [`${SERVER}/src/app.module.ts`]: (text) => appModule(text, entities),
    [`${SERVER}/prisma/schema.prisma`]: (text) => prismaSchema(text, entities),
    [`${SERVER}/src/grants.json`]: (text) => grants(text, entities),
    [`${ADMIN}/src/App.tsx`]: (text) => adminApp(text, entities),
  };

  for (const file of walk(input)) {
    const entityDir = ENTITY_DIRS.find((d) => file.startsWith(`${d}/`));
    if (entityDir) {
      const text = read(file);
      for (const entity of entities) {
        write(renameOrder(file, entity), renameOrder(text, entity));
      }
      continue;
    }
    const edit = special[file];
    if (edit) write(file, edit(read(file)));
    else write(file, fs.readFileSync(path.join(input, ...file.split("/"))));
  }

  const config = JSON.parse(
    fs.readFileSync(path.join(templateRoot, "auth0.config.json"), "utf8"),
  );
  delete config.$schema; // relative to the fixture, not to the generated app
  write("auth0.config.json", `${JSON.stringify(config, null, 2)}\n`);

  return {
    dir,
    server: SERVER,
    admin: ADMIN,
    configFile: path.join(dir, "auth0.config.json"),
    entities: n,
    files,
  };
}

/** The admin's App.tsx of an n-entity app, as generateApp writes it, without writing the app. */
export function generatedAppTsx(n: number): string {
  const file = path.join(
    packageRoot(),
    TEMPLATE_APP,
    "input",
    ADMIN,
    "src/App.tsx",
  );
  return adminApp(fs.readFileSync(file, "utf8"), entityNames(n));
}

/** Every file under root, POSIX-relative, sorted (so the output does not depend on readdir order). */
function walk(root: string, dir = ""): string[] {
  const out: string[] = [];
  const entries = fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(root, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

function appModule(text: string, entities: EntityNames[]): string {
  return repeatOrderLines(text, entities, (line) =>
    /^import \{ OrderModule \}|^\s+OrderModule,$/.test(line),
  );
}

function adminApp(text: string, entities: EntityNames[]): string {
  // The imports of the four pages, one line each, then the <Resource> block of the entity.
  const withImports = repeatOrderLines(text, entities, (line) =>
    /^import \{ Order(List|Create|Edit|Show) \} from "\.\/order\//.test(line),
  );
  const resource = /( *)<Resource\s+name="Order"[\s\S]*?\/>\n/.exec(
    withImports,
  );
  if (!resource)
    throw new Error(
      `${TEMPLATE_APP}: App.tsx has no <Resource name="Order" .../>`,
    );
  return (
    withImports.slice(0, resource.index) +
    entities.map((entity) => renameOrder(resource[0], entity)).join("") +
    withImports.slice(resource.index + resource[0].length)
  );
}

/**
 * Repeats the template's Order lines (those that mention the entity) for every entity; a run of
 * consecutive entity lines is repeated as a block.
 */
function repeatOrderLines(
  text: string,
  entities: EntityNames[],
  isEntityLine: (line: string) => boolean,
): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    if (!isEntityLine(lines[i])) {
      out.push(lines[i++]);
      continue;
    }
    const block: string[] = [];
    while (i < lines.length && isEntityLine(lines[i])) block.push(lines[i++]);
    for (const entity of entities)
      for (const line of block) out.push(renameOrder(line, entity));
  }
  return out.join("\n");
}

function prismaSchema(text: string, entities: EntityNames[]): string {
  const model = /model Order \{[\s\S]*?\n\}\n?/.exec(text);
  if (!model)
    throw new Error(`${TEMPLATE_APP}: schema.prisma has no model Order`);
  const models = entities
    .map((entity) => renameOrder(model[0].replace(/\n?$/, "\n"), entity))
    .join("\n");
  let next =
    text.slice(0, model.index) +
    models +
    text.slice(model.index + model[0].length);
  // The User side of each relation, next to the template's `orders Order[]`.
  next = next.replace(/^ *orders +Order\[\]\n/m, (line) =>
    entities.map((entity) => renameOrder(line, entity)).join(""),
  );
  return next;
}

function grants(text: string, entities: EntityNames[]): string {
  const rules = JSON.parse(text) as Array<{ resource: string }>;
  const out: unknown[] = [];
  for (let i = 0; i < rules.length;) {
    if (rules[i].resource !== "Order") {
      out.push(rules[i++]);
      continue;
    }
    const block: Array<{ resource: string }> = [];
    while (i < rules.length && rules[i].resource === "Order")
      block.push(rules[i++]);
    for (const entity of entities)
      for (const rule of block) out.push({ ...rule, resource: entity.pascal });
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

if (require.main === module) {
  const n = Number(process.argv[2]);
  const app = generateApp(n, process.argv[3]);
  console.log(`${app.dir}: ${app.entities} entities, ${app.files} files`);
}
