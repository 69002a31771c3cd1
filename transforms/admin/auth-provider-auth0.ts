/**
 * admin/auth-provider-auth0: src/auth-provider/ra-auth-auth0.ts, an Auth0 auth provider on
 * @auth0/auth0-spa-js 2 written for the admin's react-admin major version:
 * - `checkAuth` finishes a pending redirect itself: react-admin routes by the URL's hash, so
 *   Auth0's return to /auth-callback reaches it as "/" (react-admin 3 has no callback route);
 * - on react-admin 5, `handleCallback` serves its /auth-callback route too (a BrowserRouter app);
 * - `logout` goes to Auth0 only for a signed-in user (react-admin also calls it when a check
 *   fails); on react-admin 5 a signed-out visitor gets the login route on a fresh page load.
 * Settings come from the bundler's env mechanism and a missing one fails loudly at start.
 * The code keeps to what webpack 4 parses once Create React App 4's Babel preset has run (it
 * compiles `?.` and `??` but hands `??=` over as written): no logical assignment, no `#private`.
 * Regenerated on every run from the config (login method, token cache, refresh tokens, scope).
 */
import { GENERATED_BANNER } from "../lib/banner";
import type { FileEdit, RuleContext } from "../../src/plan/rule";
import { refuse } from "../lib/refusal";
import { adminEnvNames } from "./env-names";

const authProviderAuth0: FileEdit = (source, context, file) => {
  const admin = context.profile.admin!;
  if (admin.reactAdminMajor !== 3 && admin.reactAdminMajor !== 5) {
    refuse(
      `the admin uses react-admin ${admin.reactAdminMajor ?? "(unknown)"}; only react-admin 3 and 5 admins are converted`,
      "turn the admin rules off and wire Auth0 by hand",
    );
  }
  const content = render(context);
  return content === source ? undefined : content;
};

function render(context: RuleContext): string {
  const { config } = context;
  const admin = context.profile.admin!;
  const names = adminEnvNames(admin.bundler!);
  const read = (name: string) =>
    admin.bundler === "vite"
      ? `import.meta.env.${name}`
      : `process.env.${name}`;
  const setting = (key: keyof typeof names) =>
    `required("${names[key]}", ${read(names[key])})`;
  const ra5 = admin.reactAdminMajor === 5;
  const login =
    config.admin.loginMethod === "popup"
      ? `    await auth0Client.loginWithPopup();`
      : `    // Leaves the page; Auth0 sends the user back to the redirect URI. Never resolves:
    // react-admin would move on to its home page meanwhile, check, and cut the redirect short.
    await auth0Client.loginWithRedirect();
    await new Promise(() => undefined);`;

  const callbackRa5 = `
  // react-admin 5 calls this on its /auth-callback route, reached when the app routes by path
  // (a BrowserRouter around <Admin>).
  async handleCallback() {
    await finishRedirect();
  },`;
  // react-admin routes by the URL's hash (#/...) unless <Admin> sits in a BrowserRouter, so
  // Auth0's return to /auth-callback?code=... reaches it as "/", and react-admin 3 has no
  // callback route at all: the first auth check finishes a pending redirect.
  const checkAuth = `  // Auth0 sends the user back with ?code=...&state=...: finish that sign-in first.
  async checkAuth() {
    if (hasRedirectParams()) {
      await finishRedirect();
      window.history.replaceState(null, "", \`\${window.location.origin}/\`);
    }
    if (!(await auth0Client.isAuthenticated())) {
      throw new Error("Not signed in");
    }
  },`;

  // On react-admin 5, going to the login route by hand clears react-admin's queries, and the
  // layout, still on screen, checks again and fails again: with some twenty resources the route
  // never changes. A fresh page load on the login route has no layout to check.
  const signedOutRa5 = `      // Load the login route afresh: reached in-app, the layout still on screen checks again.
      if (window.location.hash !== "#/login") {
        window.location.hash = "#/login";
        window.location.reload();
        await new Promise(() => undefined); // the page goes away
      }
`;

  return `${GENERATED_BANNER}
import { Auth0Client } from "@auth0/auth0-spa-js";
import { AuthProvider } from "react-admin";

/** A setting the admin cannot sign in without: missing means a broken build, so say so. */
function required(name: string, value: string | undefined): string {
  if (!value) {
    throw new Error(\`\${name} is not set: add it to the admin's .env (see auth0.config.json)\`);
  }
  return value;
}

const AUTH0_DOMAIN = ${setting("domain")};
const AUTH0_CLIENT_ID = ${setting("clientId")};
const AUTH0_AUDIENCE = ${setting("audience")};
const AUTH0_REDIRECT_URI = ${setting("redirectUri")};
const AUTH0_LOGOUT_REDIRECT_URI = ${setting("logoutRedirectUri")};

export const auth0Client = new Auth0Client({
  domain: AUTH0_DOMAIN,
  clientId: AUTH0_CLIENT_ID,
  ${
    config.admin.cacheLocation === "memory"
      ? '// "memory" keeps tokens away from scripts that could read localStorage.'
      : "// localstorage survives reloads, but any script on the page can read it (XSS)."
  }
  cacheLocation: ${JSON.stringify(config.admin.cacheLocation)},
  useRefreshTokens: ${config.admin.useRefreshTokens},
  authorizationParams: {
    audience: AUTH0_AUDIENCE,
    redirect_uri: AUTH0_REDIRECT_URI,
    scope: ${JSON.stringify(config.admin.scope)},
  },
});

let redirect: Promise<unknown> | undefined;

function hasRedirectParams(): boolean {
  const query = new URLSearchParams(window.location.search);
  return query.has("code") && query.has("state");
}

/** Exchanges the code Auth0 sent back, once (React strict mode runs effects twice). */
async function finishRedirect(): Promise<void> {
  if (!hasRedirectParams() && !redirect) {
    throw new Error("No Auth0 sign-in to finish");
  }
  if (!redirect) redirect = auth0Client.handleRedirectCallback();
  await redirect;
}

export const auth0AuthProvider: AuthProvider = {
  async login() {
${login}
  },
  // react-admin also calls this when an auth check fails: a visitor who is not signed in stays
  // here (Auth0's logout would send them back to the admin, which would sign them out again).
  async logout() {
    if (!(await auth0Client.isAuthenticated())) {
${ra5 ? signedOutRa5 : ""}      return;
    }
    await auth0Client.logout({ logoutParams: { returnTo: AUTH0_LOGOUT_REDIRECT_URI } });
  },
${checkAuth}
  // A 401 is a token the server refused: sign out. A 403 is a signed-in user without that
  // permission, which signing in again would not change: an ordinary error.
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      throw new Error("Signed out: the server refused the token");
    }
  },
  // Roles live in the app's database (grants.json), not in the token.
  async getPermissions() {
    return undefined;
  },
  async getIdentity() {
    const user = await auth0Client.getUser();
    if (!user?.sub) {
      throw new Error("Not signed in");
    }
    return { id: user.sub, fullName: user.name, avatar: user.picture };
  },${ra5 ? callbackRa5 : ""}
};
`;
}

export default authProviderAuth0;
