/**
 * admin/env-auth0: the admin .env holds the Auth0 settings its provider reads, under the names
 * its bundler exposes (VITE_REACT_APP_AUTH0_* on Vite, REACT_APP_AUTH0_* on Create React App).
 */
import type { FileEdit } from "../../src/plan/rule";
import { duplicateKeys, setEnvVariables } from "../lib/dotenv";
import { refuse } from "../lib/refusal";
import { adminEnvNames } from "./env-names";

const adminEnvAuth0: FileEdit = (source, context, file) => {
  const names = adminEnvNames(context.profile.admin!.bundler!);
  const variables = {
    [names.domain]: context.auth0.domain,
    [names.clientId]: context.auth0.clientId,
    [names.audience]: context.auth0.audience,
    [names.redirectUri]: context.config.admin.callbackUrl,
    [names.logoutRedirectUri]: context.config.admin.logoutUrl,
  };
  const duplicates = duplicateKeys(source ?? "", Object.keys(variables));
  if (duplicates.length > 0) {
    const { key, lines } = duplicates[0];
    refuse(
      `${key} is defined more than once (lines ${lines.join(", ")})`,
      `keep one ${key} line in ${file} and run again`,
    );
  }
  const next = setEnvVariables(source ?? "", variables);
  return next === source ? undefined : next;
};

export default adminEnvAuth0;
