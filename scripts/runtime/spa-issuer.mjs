/**
 * A loopback OpenID provider that looks like an Auth0 tenant to @auth0/auth0-spa-js 2, for the
 * end-to-end sign-in test of a converted react-admin (__tests__/admin-signin.test.ts).
 *
 * Auth0 cannot be reached from the test machine, so a real oidc-provider stands in for it, set up
 * the way auth0-spa-js expects a tenant to be:
 *
 * - the issuer is `http://127.0.0.1:<port>/`: auth0-spa-js takes the admin's domain setting
 *   (`http://127.0.0.1:<port>`) as the base URL and checks the ID token's `iss` against
 *   `<domain>/`;
 * - Auth0's paths: `/authorize`, `/oauth/token`, `/userinfo`, `/.well-known/jwks.json`, and
 *   `/v2/logout`, answered as Auth0 does: it ends the provider's session and redirects at once to
 *   `returnTo` when that is one of the client's logout URLs (no confirmation page);
 * - one public single-page-application client: authorization code with PKCE (S256), no client
 *   secret, RS256 ID tokens, the admin's callback as its redirect URI, and CORS open to the
 *   admin's origin only (the token request carries auth0-spa-js's `Auth0-Client` header, so the
 *   browser sends a preflight first);
 * - auth0-spa-js's own authorization parameters (`audience`, `auth0Client`) are accepted;
 * - a one-page sign-in form of our own at `/interaction/<uid>` (any email signs in as that user),
 *   and no consent screen: the client is first-party, so the requested scopes are granted as
 *   Auth0 does for first-party applications.
 *
 * Everything listens on 127.0.0.1 with an ephemeral port. On start, exactly one line of JSON goes
 * to stdout (`{ "issuer", "domain" }`); everything else (one line per request) goes to stderr.
 *
 * Environment:
 *   SPA_ISSUER_CLIENT_ID        required, the admin's client id
 *   SPA_ISSUER_REDIRECT_URI     required, the admin's callback (e.g. http://127.0.0.1:5000/auth-callback)
 *   SPA_ISSUER_LOGOUT_URI       optional, where /v2/logout may send the user back to
 *   SPA_ISSUER_EXIT_WITH_STDIN  optional, "1": exit when stdin ends, so a test runner that dies
 *                               without stopping this process does not leave it behind
 *
 * Run: node scripts/runtime/spa-issuer.mjs
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import * as http from "node:http";

import Provider from "oidc-provider";
import { readBody, send } from "./http.mjs";

// oidc-provider prints its notices with console.info; stdout is reserved for the one JSON line.
console.log = console.error;
console.info = console.error;

const HOST = "127.0.0.1";
const SCOPES = "openid profile email";
const CLAIMS = ["sub", "name", "email", "email_verified"];
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;

function readConfig(env) {
  const clientId = env.SPA_ISSUER_CLIENT_ID;
  const redirectUri = env.SPA_ISSUER_REDIRECT_URI;
  if (!clientId) throw new Error("SPA_ISSUER_CLIENT_ID is required");
  if (!redirectUri) throw new Error("SPA_ISSUER_REDIRECT_URI is required");
  const logoutUri = env.SPA_ISSUER_LOGOUT_URI || undefined;
  return {
    clientId,
    redirectUri,
    logoutUri,
    adminOrigin: new URL(redirectUri).origin,
  };
}

/** A fresh RS256 signing key (the JWK form oidc-provider's keystore takes). */
function signingKey() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: "jwk" }),
    kid: `spa-${randomBytes(6).toString("hex")}`,
    alg: "RS256",
    use: "sig",
  };
}

const escapeHtml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) =>
      ({
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
      })[c],
  );

function loginPage(uid, clientId) {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Test tenant: sign in</title></head>
  <body>
    <h1>Test tenant</h1>
    <p>Sign in to ${escapeHtml(clientId)}</p>
    <form method="post" action="/interaction/${escapeHtml(uid)}/login">
      <label>Email <input type="email" name="email" required autofocus /></label>
      <button type="submit">Continue</button>
    </form>
  </body>
</html>
`;
}

async function readForm(req) {
  return new URLSearchParams(await readBody(req));
}

/** The value of one cookie of the request, if sent. */
function cookie(req, name) {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/**
 * Auth0's `GET /v2/logout?client_id=...&returnTo=...`: ends the provider's session and sends the
 * browser straight back to `returnTo` if the client allows it (Auth0's "Allowed Logout URLs").
 */
async function logout(provider, config, req, res, url) {
  const clientId = url.searchParams.get("client_id");
  const returnTo = url.searchParams.get("returnTo");
  if (clientId !== config.clientId) {
    return send(res, 400, "text/plain", "unknown client_id\n");
  }
  if (returnTo !== null && returnTo !== config.logoutUri) {
    return send(
      res,
      400,
      "text/plain",
      "returnTo is not an allowed logout URL\n",
    );
  }
  // Over plain http the browser keeps only oidc-provider's "legacy" copy of the session cookie
  // (the main one is SameSite=None, which needs Secure).
  const sessionId = cookie(req, "_session") ?? cookie(req, "_session.legacy");
  if (sessionId) await (await provider.Session.find(sessionId))?.destroy();
  const expired =
    "Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";
  res.writeHead(302, {
    location: returnTo ?? config.logoutUri ?? "/",
    "set-cookie": [
      "_session",
      "_session.sig",
      "_session.legacy",
      "_session.legacy.sig",
    ].map((name) => `${name}=; ${expired}`),
    "cache-control": "no-store",
  });
  res.end();
}

function makeProvider(issuer, config) {
  return new Provider(issuer, {
    clients: [
      {
        client_id: config.clientId,
        application_type: "web",
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: [config.redirectUri],
        id_token_signed_response_alg: "RS256",
      },
    ],
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    routes: {
      authorization: "/authorize",
      token: "/oauth/token",
      userinfo: "/userinfo",
      jwks: "/.well-known/jwks.json",
    },
    // What auth0-spa-js adds to every authorization request.
    extraParams: ["audience", "auth0Client"],
    scopes: ["openid", "offline_access", "profile", "email"],
    claims: {
      openid: ["sub"],
      profile: ["name"],
      email: ["email", "email_verified"],
    },
    pkce: { methods: ["S256"], required: () => true },
    clientBasedCORS: (ctx, origin) => origin === config.adminOrigin,
    findAccount: (ctx, sub) => ({
      accountId: sub,
      claims: () => ({
        sub,
        name: sub.split("@")[0],
        email: sub,
        email_verified: true,
      }),
    }),
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    // First-party client: grant what it asks for without a consent screen.
    loadExistingGrant: async (ctx) => {
      const clientId = ctx.oidc.client.clientId;
      const grantId =
        ctx.oidc.result?.consent?.grantId ||
        ctx.oidc.session.grantIdFor(clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(SCOPES);
      grant.addOIDCClaims(CLAIMS);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      // /v2/logout is answered by logout() above, the way Auth0 answers it.
      rpInitiatedLogout: { enabled: false },
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });
}

async function main() {
  const config = readConfig(process.env);

  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, resolve);
  });
  const domain = `http://${HOST}:${server.address().port}`;
  const issuer = `${domain}/`;
  const provider = makeProvider(issuer, config);
  provider.on("server_error", (ctx, error) => console.error(error));
  provider.on("authorization.error", (ctx, error) =>
    console.error(
      `authorization.error: ${error.message} ${error.error_description ?? ""}`,
    ),
  );
  provider.on("grant.error", (ctx, error) =>
    console.error(
      `grant.error: ${error.message} ${error.error_description ?? ""}`,
    ),
  );
  const callback = provider.callback();

  server.on("request", async (req, res) => {
    const url = new URL(req.url, issuer);
    console.error(`${req.method} ${url.pathname}`);
    try {
      const interaction = INTERACTION.exec(url.pathname);
      if (interaction) {
        const [, uid, login] = interaction;
        const details = await provider.interactionDetails(req, res);
        if (details.uid !== uid)
          return send(res, 400, "text/plain", "wrong interaction\n");
        if (!login && req.method === "GET") {
          return send(
            res,
            200,
            "text/html",
            loginPage(uid, details.params.client_id),
          );
        }
        if (login && req.method === "POST") {
          const email = (await readForm(req)).get("email")?.trim();
          if (!email)
            return send(res, 400, "text/plain", "email is required\n");
          return await provider.interactionFinished(
            req,
            res,
            { login: { accountId: email } },
            { mergeWithLastSubmission: false },
          );
        }
        return send(res, 405, "text/plain", "method not allowed\n");
      }
      if (url.pathname === "/v2/logout") {
        return await logout(provider, config, req, res, url);
      }
      return callback(req, res);
    } catch (error) {
      console.error(error);
      if (!res.headersSent) send(res, 500, "text/plain", `${error.message}\n`);
      else res.end();
    }
  });

  const stop = () => process.exit(0);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (process.env.SPA_ISSUER_EXIT_WITH_STDIN === "1") {
    process.stdin.on("end", stop);
    process.stdin.resume();
  }

  process.stdout.write(`${JSON.stringify({ issuer, domain })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
