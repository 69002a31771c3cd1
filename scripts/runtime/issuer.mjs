/**
 * A loopback, Auth0-shaped token issuer for the runtime security tests of converted servers.
 *
 * Auth0 cannot be reached from the test machine, so this process stands in for it:
 *
 * - issuer A: a real oidc-provider whose issuer ends with a slash (Auth0's `https://DOMAIN/` form)
 *   and which issues RS256 JWT access tokens for one API audience through client_credentials.
 *   Its JWKS (`/.well-known/jwks.json`, Auth0's path) is answered by our own front handler so the
 *   tests can rotate the published keys, take the endpoint down (503) and count the fetches;
 * - issuer B: a second real provider with its own key, for "wrong issuer / unknown key" cases;
 * - a control server (JSON) that asks either provider for a token over real HTTP, mints tokens
 *   no provider would ever issue (alg none, HS256 keyed with the public key, RS384, wrong kid,
 *   no exp, ...), and switches issuer A's JWKS.
 *
 * Everything listens on 127.0.0.1 with ephemeral ports. On start, exactly one line of JSON goes to
 * stdout (the addresses and the key ids); everything else goes to stderr.
 *
 * Environment:
 *   ISSUER_AUDIENCE   required, the API identifier (e.g. https://api.notebook.example)
 *   ISSUER_NAMESPACE  required, the prefix of the custom claims (e.g. https://api.notebook.example/)
 *   ISSUER_CLIENTS    optional, comma-separated client ids (each is one "user": sub = client id)
 *   ISSUER_CLAIMS_STYLE  optional, "namespaced" (default: <namespace>email, <namespace>email_verified)
 *                     or "user-object" (one `user` claim holding email and email_verified, as the
 *                     Amplication plugin's tenants have it); the roles claim is namespaced either way
 *   ISSUER_EXIT_WITH_STDIN  optional, "1": exit when stdin ends, so a test runner that dies
 *                     without calling stop() does not leave this process behind
 *
 * Run: node scripts/runtime/issuer.mjs
 */
import { createHmac, createPublicKey, randomBytes } from "node:crypto";
import * as http from "node:http";

import { SignJWT, exportJWK, generateKeyPair, importJWK } from "jose";
import Provider, { errors } from "oidc-provider";
import { readBody, sendJson } from "./http.mjs";

// oidc-provider prints its notices with console.info (when a provider is built, not on import);
// stdout is reserved for the one JSON line.
console.log = console.error;
console.info = console.error;

const HOST = "127.0.0.1";
const JWKS_PATH = "/.well-known/jwks.json";
const DEFAULT_CLIENTS = "alice,bob,carol,dave,erin,frank";

/** Reads the configuration, failing fast with a message that names the missing variable. */
function readConfig(env) {
  const audience = env.ISSUER_AUDIENCE;
  const namespace = env.ISSUER_NAMESPACE;
  if (!audience)
    throw new Error("ISSUER_AUDIENCE is required (the API identifier)");
  if (!namespace)
    throw new Error("ISSUER_NAMESPACE is required (the custom claim prefix)");
  const clients = (env.ISSUER_CLIENTS || DEFAULT_CLIENTS)
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (clients.length === 0) throw new Error("ISSUER_CLIENTS names no client");
  const claimsStyle = env.ISSUER_CLAIMS_STYLE || "namespaced";
  if (claimsStyle !== "namespaced" && claimsStyle !== "user-object")
    throw new Error(
      'ISSUER_CLAIMS_STYLE must be "namespaced" or "user-object"',
    );
  return { audience, namespace, clients, claimsStyle };
}

/**
 * One RSA key pair with everything the issuer needs from it: the private JWK for a provider's
 * keystore, the public JWK to publish, the SPKI PEM text (the HS256 confusion attack's secret),
 * and the kid. The kid carries a random suffix so that no JWKS cache survives between runs.
 * The PEM is node's (OpenSSL's) canonical form, ending with a newline: what a verifier that turns
 * a JWK into a PEM with node:crypto would hold as the "public key".
 */
async function makeKey(name) {
  const { publicKey, privateKey } = await generateKeyPair("RS256", {
    extractable: true,
  });
  const kid = `${name}-${randomBytes(6).toString("hex")}`;
  const meta = { kid, alg: "RS256", use: "sig" };
  const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk,
    publicPem: createPublicKey({ key: publicJwk, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    }),
  };
}

/** Listens on an ephemeral loopback port; the request handler is attached once its port is known. */
async function listen() {
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, resolve);
  });
  return { server, port: server.address().port };
}

/**
 * A real oidc-provider configured like an Auth0 tenant with one API: client_credentials only,
 * one resource server (the audience), RS256 JWT access tokens, and the namespaced email claims
 * taken from the token request.
 */
function makeProvider({
  issuer,
  signingKey,
  audience,
  namespace,
  clients,
  claimsStyle,
}) {
  return new Provider(issuer, {
    clients: clients.map((id) => ({
      client_id: id,
      client_secret: `${id}-secret`,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: "client_secret_post",
    })),
    jwks: { keys: [signingKey.privateJwk] },
    // Explicit keys: nothing here uses cookies, but the provider warns without them.
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    // The resource server's TTL, stated here so the provider does not print its default notice.
    ttl: {
      ClientCredentials: (ctx, token) =>
        token.resourceServer?.accessTokenTTL ?? 300,
    },
    // Auth0's JWKS path, so the discovery document's jwks_uri matches what servers fetch.
    routes: { jwks: JWKS_PATH },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (resource !== audience) throw new errors.InvalidTarget();
          return {
            scope: "api",
            audience,
            accessTokenTTL: 300,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    // Declared for clarity; the provider only honours extraParams at the authorization-type
    // endpoints and strips unknown parameters from ctx.oidc.params at the token endpoint, so the
    // claims below read the parsed request body instead.
    extraParams: ["email", "email_verified", "roles"],
    extraTokenClaims: (ctx) =>
      emailClaims(namespace, claimsStyle, ctx?.oidc?.body ?? {}),
  });
}

/** The namespaced email and roles claims, present only when the token request carried them. */
function emailClaims(namespace, claimsStyle, body) {
  const claims = {};
  const email = {};
  if (typeof body.email === "string") email.email = body.email;
  if (typeof body.email_verified === "string") {
    if (body.email_verified !== "true" && body.email_verified !== "false") {
      throw new errors.InvalidRequest(
        "email_verified must be 'true' or 'false'",
      );
    }
    email.email_verified = body.email_verified === "true";
  }
  if (claimsStyle === "user-object") {
    if (Object.keys(email).length > 0) claims.user = email;
  } else {
    for (const [name, value] of Object.entries(email))
      claims[`${namespace}${name}`] = value;
  }
  // The Action's roles claim (event.authorization.roles), sent as JSON to keep its exact value.
  if (typeof body.roles === "string") {
    try {
      claims[`${namespace}roles`] = JSON.parse(body.roles);
    } catch {
      throw new errors.InvalidRequest("roles must be JSON");
    }
  }
  return claims;
}

async function readJson(req) {
  const text = await readBody(req);
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "request body is not JSON");
  }
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const b64url = (value) => Buffer.from(value).toString("base64url");

/**
 * Mints a token outside any provider, for the negative cases. The claims are used exactly as
 * given: the caller sets iss/aud/exp/... (or leaves them out on purpose).
 */
async function mint(
  keys,
  { claims, key = "k1", kid, alg = "RS256", typ, header: extra = {} },
) {
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) {
    throw new HttpError(400, "claims must be an object");
  }
  const chosen = keys[key];
  if (!chosen) throw new HttpError(400, `unknown key ${JSON.stringify(key)}`);
  // undefined = the key's own kid, null = no kid header at all.
  const headerKid = kid === undefined ? chosen.kid : kid;
  if (!extra || typeof extra !== "object" || Array.isArray(extra)) {
    throw new HttpError(400, "header must be an object");
  }
  // Extra protected header parameters (e.g. crit and the extension it names), used as given.
  const header = (jwsAlg) => ({
    ...extra,
    alg: jwsAlg,
    ...(headerKid === null ? {} : { kid: headerKid }),
    ...(typ === undefined ? {} : { typ }),
  });
  // jose signs a crit header only when told that it understands the extensions it names.
  const crit = Object.fromEntries(
    (Array.isArray(extra.crit) ? extra.crit : []).map((name) => [name, true]),
  );

  switch (alg) {
    case "none":
      // Unsigned: header.payload. with an empty signature part.
      return `${b64url(JSON.stringify(header("none")))}.${b64url(JSON.stringify(claims))}.`;
    case "HS256-public-key": {
      // Algorithm confusion: HMAC keyed with the public key's PEM text, which a verifier that
      // lets the token pick its algorithm would use as the "secret".
      const input = `${b64url(JSON.stringify(header("HS256")))}.${b64url(JSON.stringify(claims))}`;
      const signature = createHmac("sha256", chosen.publicPem)
        .update(input)
        .digest("base64url");
      return `${input}.${signature}`;
    }
    case "RS256":
    case "RS384": {
      // Imported per algorithm: a WebCrypto RSA key is bound to one hash.
      const signingKey = await importJWK({ ...chosen.privateJwk, alg }, alg);
      return new SignJWT(claims)
        .setProtectedHeader(header(alg))
        .sign(signingKey, { crit });
    }
    default:
      throw new HttpError(400, `unsupported alg ${JSON.stringify(alg)}`);
  }
}

/** Asks a provider for a token over real HTTP, exactly as a client of the tenant would. */
async function requestToken(
  provider,
  audience,
  { client, email, email_verified, roles, resource },
) {
  if (typeof client !== "string" || !client)
    throw new HttpError(400, "client is required");
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: client,
    client_secret: `${client}-secret`,
    resource: resource ?? audience,
  });
  if (email !== undefined) form.set("email", String(email));
  if (email_verified !== undefined)
    form.set("email_verified", String(email_verified));
  if (roles !== undefined) form.set("roles", JSON.stringify(roles));

  const response = await fetch(provider.urlFor("token"), {
    method: "POST",
    body: form,
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { ok: response.ok, status: response.status, body };
}

async function main() {
  const config = readConfig(process.env);
  const { audience } = config;

  const keys = {
    k1: await makeKey("k1"),
    k2: await makeKey("k2"),
    other: await makeKey("other"),
    kB: await makeKey("kB"),
  };

  // Issuer A's JWKS state, driven by the control server.
  const jwks = { mode: "up", published: ["k1"], requests: 0 };

  const a = await listen();
  const issuerA = `http://${HOST}:${a.port}/`;
  const providerA = makeProvider({
    ...config,
    issuer: issuerA,
    signingKey: keys.k1,
  });
  const callbackA = providerA.callback();
  a.server.on("request", frontA);

  /** Answers the JWKS path itself (so it can rotate, fail and count); the provider gets the rest. */
  function frontA(req, res) {
    const { pathname } = new URL(req.url, issuerA);
    if (pathname !== JWKS_PATH) return callbackA(req, res);
    jwks.requests += 1;
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { error: "method_not_allowed" });
    }
    if (jwks.mode === "down") {
      return sendJson(res, 503, { error: "temporarily_unavailable" });
    }
    return sendJson(res, 200, {
      keys: jwks.published.map((name) => keys[name].publicJwk),
    });
  }

  const b = await listen();
  const issuerB = `http://${HOST}:${b.port}/`;
  const providerB = makeProvider({
    ...config,
    issuer: issuerB,
    signingKey: keys.kB,
  });
  b.server.on("request", providerB.callback());

  const jwksState = () => ({
    jwksMode: jwks.mode,
    publishedKids: jwks.published.map((name) => keys[name].kid),
    jwksRequests: jwks.requests,
  });

  const routes = {
    "POST /token": async (body) => {
      const issuer = body.issuer ?? "a";
      if (issuer !== "a" && issuer !== "b")
        throw new HttpError(400, "issuer must be 'a' or 'b'");
      const result = await requestToken(
        issuer === "a" ? providerA : providerB,
        audience,
        body,
      );
      if (!result.ok)
        return [502, { status: result.status, body: result.body }];
      return [200, { access_token: result.body.access_token }];
    },
    "POST /mint": async (body) => [200, { token: await mint(keys, body) }],
    "POST /jwks": async (body) => {
      if (body.mode !== undefined) {
        if (body.mode !== "up" && body.mode !== "down") {
          throw new HttpError(400, "mode must be 'up' or 'down'");
        }
        jwks.mode = body.mode;
      }
      if (body.keys !== undefined) {
        const publishable = ["k1", "k2", "other"];
        if (
          !Array.isArray(body.keys) ||
          !body.keys.every((k) => publishable.includes(k))
        ) {
          throw new HttpError(
            400,
            `keys must be a list of ${publishable.join(", ")}`,
          );
        }
        jwks.published = [...body.keys];
      }
      return [200, jwksState()];
    },
    "GET /state": async () => [200, jwksState()],
  };

  const control = await listen();
  control.server.on("request", async (req, res) => {
    try {
      const route =
        routes[`${req.method} ${new URL(req.url, "http://control").pathname}`];
      if (!route) return sendJson(res, 404, { error: "not found" });
      const [status, body] = await route(
        req.method === "POST" ? await readJson(req) : {},
      );
      sendJson(res, status, body);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) console.error(error);
      sendJson(res, status, { error: error.message });
    }
  });

  // Nothing to flush or persist: exiting closes the listeners and their sockets.
  const stop = () => process.exit(0);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (process.env.ISSUER_EXIT_WITH_STDIN === "1") {
    process.stdin.on("end", stop);
    process.stdin.resume();
  }

  process.stdout.write(
    `${JSON.stringify({
      issuer: issuerA,
      otherIssuer: issuerB,
      control: `http://${HOST}:${control.port}`,
      kids: Object.fromEntries(
        Object.entries(keys).map(([name, key]) => [name, key.kid]),
      ),
    })}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
