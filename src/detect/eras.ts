/**
 * The eras of Amplication-generated JWT apps (docs: amplication-facts.md §3) and the traits that
 * tell them apart. This table is the one place that links traits to eras; rules read traits, not
 * era letters, so an app that mixes traits is still handled trait by trait.
 */

/** Parameter order of the generated JwtStrategyBase constructor. */
export type StrategyConstructor =
  | "service-first" // (userService, secretOrKey): eras C and D
  | "secret-first" // (secretOrKey, userService): eras E to G
  | "auth0"; // (configService, userService): already converted

/** Which constant names the JWT secret provider. */
export type SecretConstant =
  "JWT_SECRET_KEY" | "JWT_SECRET_KEY_PROVIDER_NAME" | "none";

/** Entity service method naming: `findOne`/`create` before DSG 3.0 (Dec 2023), `user`/`createUser` after. */
export type ServiceMethodStyle = "generic" | "entity-named";

export type AdminBundler = "cra" | "vite";

export interface EraTraits {
  strategyConstructor: StrategyConstructor;
  secretConstant: SecretConstant;
  serviceMethods: ServiceMethodStyle;
  /** AuthModule still registers BasicStrategy next to JwtStrategy (era C). */
  basicStrategyRegistered: boolean;
}

export interface Era {
  id: "C" | "D" | "E" | "F" | "G";
  label: string;
  server: EraTraits;
  /** The admin generation that shipped with this era. */
  admin: { bundler: AdminBundler; reactAdminMajor: number };
}

export const ERAS: readonly Era[] = [
  {
    id: "C",
    label: "2021-09 to 2022-12: Basic and JWT side by side in the generator",
    server: {
      strategyConstructor: "service-first",
      secretConstant: "JWT_SECRET_KEY",
      serviceMethods: "generic",
      basicStrategyRegistered: true,
    },
    admin: { bundler: "cra", reactAdminMajor: 3 },
  },
  {
    id: "D",
    label: "2023-02 to 2023-06: auth plugins, entity User",
    server: {
      strategyConstructor: "service-first",
      secretConstant: "JWT_SECRET_KEY",
      serviceMethods: "generic",
      basicStrategyRegistered: false,
    },
    admin: { bundler: "cra", reactAdminMajor: 3 },
  },
  {
    id: "E",
    label:
      "2023-06 to 2023-11: configurable auth entity, secret-first strategy",
    server: {
      strategyConstructor: "secret-first",
      secretConstant: "JWT_SECRET_KEY",
      serviceMethods: "generic",
      basicStrategyRegistered: false,
    },
    admin: { bundler: "cra", reactAdminMajor: 3 },
  },
  {
    id: "F",
    label: "2023-12 to 2024-09: secrets manager, entity-named service methods",
    server: {
      strategyConstructor: "secret-first",
      secretConstant: "JWT_SECRET_KEY_PROVIDER_NAME",
      serviceMethods: "entity-named",
      basicStrategyRegistered: false,
    },
    admin: { bundler: "cra", reactAdminMajor: 3 },
  },
  {
    id: "G",
    label: "2024-09 on: Vite and react-admin 5 admin",
    server: {
      strategyConstructor: "secret-first",
      secretConstant: "JWT_SECRET_KEY_PROVIDER_NAME",
      serviceMethods: "entity-named",
      basicStrategyRegistered: false,
    },
    admin: { bundler: "vite", reactAdminMajor: 5 },
  },
];

/**
 * The era whose server traits match, refined by the admin generation when there is an admin.
 * Eras F and G share a server, so the admin decides between them.
 */
export function classifyEra(
  server: EraTraits,
  admin?: { bundler: AdminBundler },
): Era | undefined {
  const matches = ERAS.filter(
    (era) =>
      era.server.strategyConstructor === server.strategyConstructor &&
      era.server.secretConstant === server.secretConstant &&
      era.server.serviceMethods === server.serviceMethods &&
      era.server.basicStrategyRegistered === server.basicStrategyRegistered,
  );
  if (matches.length <= 1 || !admin) return matches[0];
  return (
    matches.find((era) => era.admin.bundler === admin.bundler) ?? matches[0]
  );
}
