/**
 * The admin's Auth0 env variables, named the way its bundler exposes them: Vite only exposes
 * VITE_-prefixed variables (through import.meta.env), Create React App only REACT_APP_ ones
 * (through process.env). The provider code and the .env rule both take names from here.
 */
import type { AdminBundler } from "../../src/detect/eras";

export function adminEnvNames(bundler: AdminBundler) {
  const prefix =
    bundler === "vite" ? "VITE_REACT_APP_AUTH0_" : "REACT_APP_AUTH0_";
  return {
    domain: `${prefix}DOMAIN`,
    clientId: `${prefix}CLIENT_ID`,
    audience: `${prefix}AUDIENCE`,
    redirectUri: `${prefix}REDIRECT_URI`,
    logoutRedirectUri: `${prefix}LOGOUT_REDIRECT_URI`,
  };
}
