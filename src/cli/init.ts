/**
 * `init`: writes a starting auth0.config.json from what detection found, with placeholders the
 * user must replace (apply refuses them until then). Never overwrites an existing file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PLACEHOLDER } from "../config/load";
import { packageRoot } from "../package-info";
import { entitySettings } from "./init-entity";
import {
  amplicationBranches,
  inSubFolderMessage,
  repositoryAbove,
} from "../commit/git";
import {
  adminLeftAlone,
  adminsLeftAlone,
  detectService,
  discoverServices,
  noServiceFound,
} from "../detect/detect";
import { DiskTree } from "../tree/disk-tree";
import { leftAloneLabel } from "../report/report";
import { nameEditsOfPluginOutput } from "../report/plugin-edits";

/** Where the schema is once the package is installed at the repository's root. */
export const SCHEMA_REF =
  "./node_modules/amplication-auth0-codemod/schema/auth0-config.schema.json";

/**
 * The config's `$schema`: this package's own schema file, relative to the config, when the
 * package runs from inside the repository (installed in a sub-folder's node_modules, say);
 * else (npx, a global install) where an install at the root puts it. Never a path outside
 * the repository: the config is committed.
 */
function schemaRefFor(root: string, configFile: string): string {
  const own = path.join(packageRoot(), "schema/auth0-config.schema.json");
  const real = (file: string) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  const inRepository = path.relative(real(root), real(own));
  if (
    !fs.existsSync(own) ||
    inRepository.startsWith("..") ||
    path.isAbsolute(inRepository)
  )
    return SCHEMA_REF;
  const relative = path
    .relative(real(path.dirname(configFile)), real(own))
    .split(path.sep)
    .join("/");
  return relative.startsWith("..") ? relative : `./${relative}`;
}

export class InitError extends Error {}

/** Services were found, but none can be converted (or is converted): nothing to write. */
export class NothingToConvertError extends Error {}

/** What detection finds in a repository, as init lists it: one line per service. */
function survey(disk: DiskTree) {
  const found = discoverServices(disk);
  const profiles = found.map((service) => detectService(disk, service));
  nameEditsOfPluginOutput(disk.root, profiles);
  const problem =
    profiles.length === 0
      ? ("none found" as const)
      : profiles.every((p) => p.unsupported)
        ? ("none convertible" as const)
        : undefined;
  // where a config is written, it lists the convertible ones only
  const leftOut = problem ? "" : " (not in the config)";
  const notes = profiles.map((p) =>
    p.unsupported
      ? `${p.name} (${p.server.root}): ${leftAloneLabel(p)}${leftOut}: ${p.unsupported}`
      : `${p.name}: ${p.server.root}${p.admin ? ` + ${p.admin.root}` : ""}, auth entity ${p.server.entity?.name}${p.server.converted ? ", already converted" : ""}`,
  );
  notes.push(...adminsLeftAlone(disk, found).map(adminLeftAlone));
  return { profiles, notes, problem };
}

const noneConvertible = (root: string) =>
  `no service in ${root} can be converted`;

/**
 * Why init would write no config in `root` (no service found, or none that can be converted),
 * as init says it; undefined when it would write one. apply and check say it where the
 * repository has no config, so that they never send the user to an init that writes nothing.
 */
export function whyInitWritesNothing(root: string): string | undefined {
  const { notes, problem } = survey(new DiskTree(root));
  if (problem === "none found")
    return `${noServiceFound(new DiskTree(root), root, amplicationBranches(root))}; run in the repository's root folder, or write the config by hand and list the services under "services"`;
  if (problem === "none convertible")
    return `${noneConvertible(root)}, so init writes no config either:\n${notes.map((note) => `    ${note}`).join("\n")}`;
  return undefined;
}

export function init(
  root: string,
  configFile: string,
): { file: string; text: string; notes: string[] } {
  if (fs.existsSync(configFile)) {
    throw new InitError(
      `${configFile} already exists; init never overwrites a config (edit it, or delete it first)`,
    );
  }
  const top = repositoryAbove(root);
  if (top)
    throw new InitError(
      inSubFolderMessage(
        root,
        top,
        "init",
        "init runs in the repository's root folder, where apply and check run too",
      ),
    );
  const disk = new DiskTree(root);
  const { profiles, notes, problem } = survey(disk);
  if (problem === "none found")
    throw new InitError(
      `${noServiceFound(disk, root, amplicationBranches(root))}. ` +
        `Run init in the repository's root folder; for another layout, write the config by hand and list the services under "services"`,
    );
  if (problem === "none convertible")
    throw new NothingToConvertError(
      `${noneConvertible(root)}, so no config was written:\n` +
        notes.map((note) => `  ${note}`).join("\n"),
    );
  // Only services apply can convert, or has converted, go into "services": a listed service in
  // any other state fails every run.
  const services = profiles.filter((p) => !p.unsupported);
  const entity = entitySettings(disk, profiles);
  notes.push(...entity.notes);
  const entities = [
    ...new Set(
      profiles.filter((p) => !p.unsupported).map((p) => p.server.entity?.name),
    ),
  ];
  const config: Record<string, unknown> = {
    $schema: schemaRefFor(root, configFile),
    // The client id is for an admin's .env: servers alone go without it.
    auth0: services.some((s) => s.admin)
      ? {
          domain: `${PLACEHOLDER}.eu.auth0.com`,
          clientId: PLACEHOLDER,
          audience: `https://${PLACEHOLDER}.example.com`,
        }
      : {
          domain: `${PLACEHOLDER}.eu.auth0.com`,
          audience: `https://${PLACEHOLDER}.example.com`,
        },
  };
  config.services = services.map((s) =>
    s.admin
      ? { name: s.name, server: s.server.root, admin: s.admin.root }
      : { name: s.name, server: s.server.root },
  );
  const user = {
    ...(entities.length === 1 && entities[0] ? { entity: entities[0] } : {}),
    ...entity.user,
  };
  if (Object.keys(user).length > 0) config.user = user;
  const text = JSON.stringify(config, null, 2) + "\n";
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, text, { flag: "wx" });
  return { file: configFile, text, notes };
}
