/**
 * A service Amplication's auth-auth0 plugin converted is left alone, with the advice to remove
 * the plugin and re-generate: that replaces the plugin's files, and with them what the user
 * changed there by hand (seen on a real repository: the strategy rewritten after the plugin
 * wrote it). Git's history tells, so the advice names those changes.
 */
import type { AppProfile } from "../detect/detect";
import { editedAfterGeneration } from "../commit/git";
import { inService } from "../config/service-path";

/** The files the plugin writes that a user edits: where it reads the token and creates users. */
const PLUGIN_FILES = [
  "src/auth/jwt/base/jwt.strategy.base.ts",
  "src/auth/jwt/jwt.strategy.ts",
  "src/auth/jwt/base/User.ts",
];

/** Adds to each plugin-converted service's reason the edits a re-generation would replace. */
export function nameEditsOfPluginOutput(
  root: string,
  profiles: readonly AppProfile[],
): void {
  for (const profile of profiles) {
    if (profile.server.auth !== "auth0-plugin" || !profile.unsupported)
      continue;
    const edits = editedAfterGeneration(
      root,
      PLUGIN_FILES.map((file) => inService(profile.server.root, file)),
    );
    if (edits.length === 0) continue;
    profile.unsupported +=
      `; but re-generating replaces what was changed by hand after Amplication wrote it: ` +
      edits
        .map(
          ({ file, commit, author, show }) =>
            `${file} (${commit}, by ${author}: ${show})`,
        )
        .join(", ") +
      ": carry those changes over to the converted files, or leave the service as it is";
  }
}
