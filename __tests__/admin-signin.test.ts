/**
 * End-to-end sign-in of a converted react-admin 5 (Vite) admin, in a real browser.
 *
 * What is real: the admin of a 20-entity app generated in the 2025 shape and converted by `apply`
 * (its src/auth-provider/ra-auth-auth0.ts as apply wrote it), built with `vite build` against
 * real react-admin 5 and @auth0/auth0-spa-js 2 (the ra5 workspace of
 * scripts/typecheck/typecheck-admins.ts); a real OpenID provider (oidc-provider,
 * scripts/runtime/spa-issuer.mjs) that issues real codes and RS256 ID tokens; Debian's Chromium,
 * headless, driven through playwright-core. Everything talks over HTTP on 127.0.0.1.
 *
 * What is replaced: Auth0 itself, which cannot be reached offline, and the app's server, which
 * this test does not run (__tests__/runtime.test.ts runs the converted server on PostgreSQL): the
 * static server answers the admin's roles query (`userInfo { roles }`) for the user the provider
 * says the token belongs to, from a table (answerGraphql). The provider stands in for a
 * tenant the way auth0-spa-js sees one: issuer `http://127.0.0.1:<port>/`, Auth0's paths
 * (/authorize, /oauth/token, /v2/logout), a public SPA client with PKCE, CORS for the admin's
 * origin, and a sign-in form of its own instead of Auth0's Universal Login. The built admin is
 * served by a small static server that answers index.html for unknown paths, as Vite's dev server
 * and the Amplication admin's nginx do.
 *
 * The claim: react-admin 5's <Admin> routes by hash, so when the provider sends the browser back to
 * `/auth-callback?code=...&state=...` react-admin's router sees "/" and never its /auth-callback
 * route; the provider's checkAuth() must finish the pending sign-in itself. The second test signs
 * in from react-admin's login route (#/login) and expects the dashboard, with the code exchanged
 * once and gone from the URL; it also checks the premise (the login route is "#/login", and no URL
 * after the return has the hash "#/auth-callback"). With the provider of a3f8a14~1 (no redirect
 * handling in checkAuth) it fails: back from the provider, no code is exchanged and the admin goes
 * to its login page again.
 *
 * The third signs in, signs out from react-admin's user menu and expects the login page to stay,
 * with one trip to the provider's /v2/logout, after which the provider asks to sign in again (its
 * session ended).
 *
 * The fourth signs in as a user without a role and expects the page of src/NoRoleLayout.tsx (its
 * heading, whom they are signed in as, ask an administrator; no dashboard), then signs out from it
 * and expects the login page, with one trip to /v2/logout. The second also checks that the admin
 * asked for the roles and that a user with a role does not get that page. With the rules of
 * admin/no-role-layout and admin/app-no-role-layout left out, both fail: nobody asks for the roles
 * and the no-role user gets the usual layout. A layout that asked before Auth0's return was
 * handled failed them too (it saw nobody signed in).
 *
 * The first test opens the admin's root signed out and expects the login page to show and stay.
 * Two loops it has caught: a logout() that always went to Auth0's /v2/logout, and, with some
 * twenty resources, react-admin 5's layout checking again after each in-app move to its login
 * route (the provider now loads the login route afresh).
 * Because react-admin calls authProvider.logout() whenever checkAuth() fails, a logout() that
 * always sends the browser to Auth0's /v2/logout (whose returnTo brings it back to the admin, which
 * checks again) makes that a redirect loop; this test catches it.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import {
  buildViteAdmin,
  disposeViteBuild,
  ensureAdminWorkspace,
  type ViteBuildResult,
} from "../scripts/typecheck/typecheck-admins";
import { readDotenv } from "../scripts/typecheck/workspace";
import { startScript } from "./helpers/start-line";
import { generateApp } from "../scripts/bench/generate-app";
import { run } from "../src/engine/run";

// The first run installs the ra5 workspace (about 35 s, longer on a cold npm cache); the Vite
// build takes 15-40 s, the browser part a few seconds.
jest.setTimeout(10 * 60 * 1000);

/**
 * How many entities the app has: react-admin 5 renders a menu item and routes per resource, and
 * with some twenty of them a signed-out visit used to bounce between its layout and its login
 * route for good (see the first test).
 */
const ENTITIES = 20;
const ISSUER_SCRIPT = path.resolve(
  __dirname,
  "../scripts/runtime/spa-issuer.mjs",
);
const CHROMIUM = "/usr/bin/chromium";
const HOST = "127.0.0.1";
/** What the converted LoginForm.tsx and Dashboard.tsx render. */
const SIGN_IN_BUTTON = "Sign in with Auth0";
const DASHBOARD_TEXT = "Welcome to the Shop admin UI.";
const USER_EMAIL = "admin@example.test";
/** Signs in at the provider, but the app has granted this account no role. */
const NO_ROLE_EMAIL = "newcomer@example.test";
/** The roles the stand-in API answers for each user (see answerGraphql). */
const ROLES: Record<string, string[]> = {
  [USER_EMAIL]: ["admin"],
  [NO_ROLE_EMAIL]: [],
};
/** What the converted src/NoRoleLayout.tsx shows a user without a role. */
const NO_ROLE_HEADING = "No role granted yet";
/** One browser step (a page load, a redirect, a render). */
const STEP_TIMEOUT_MS = 30_000;
/** One test (several steps), so that a stuck browser fails the test instead of the whole run. */
const TEST_TIMEOUT_MS = 3 * 60 * 1000;
/** How long a page must stay as it is to count as settled (no redirect of its own). */
const SETTLE_MS = 2_000;

interface RunningIssuer {
  /** `http://127.0.0.1:<port>/`, with the trailing slash (the ID token's iss). */
  issuer: string;
  /** `http://127.0.0.1:<port>`, the admin's VITE_REACT_APP_AUTH0_DOMAIN. */
  domain: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts scripts/runtime/spa-issuer.mjs and waits for its start line. */
async function startSpaIssuer(
  env: Record<string, string>,
): Promise<RunningIssuer> {
  const { start, stderr, stop } = await startScript<{
    issuer: string;
    domain: string;
  }>(ISSUER_SCRIPT, env, {
    name: "spa-issuer",
    exitWithStdin: "SPA_ISSUER_EXIT_WITH_STDIN",
  });
  return { ...start, stderr, stop };
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/** Who asked the stand-in API for their roles, in order (emails). */
const rolesAskedBy: string[] = [];

/**
 * POST /graphql: a stand-in for the converted server's answer to the admin's roles query
 * (`userInfo { roles }`, asked by the converted src/NoRoleLayout.tsx). No converted server runs
 * in this test; the runtime tests (__tests__/runtime.test.ts) run the real one on PostgreSQL,
 * which answers userInfo for a user without a role. The user is the one the provider says the
 * access token belongs to (its /userinfo), and their roles come from ROLES. Any other query is
 * refused, so that the test notices the admin asking for more.
 */
async function answerGraphql(
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const json = (status: number, body: unknown) =>
    res
      .writeHead(status, { "content-type": "application/json" })
      .end(JSON.stringify(body));
  const { query } = JSON.parse(await readBody(req)) as { query?: string };
  const who = await fetch(`${issuer!.domain}/userinfo`, {
    headers: { authorization: req.headers.authorization ?? "" },
  });
  if (!who.ok) {
    json(401, { errors: [{ message: "Unauthorized" }] });
    return;
  }
  const { email } = (await who.json()) as { email: string };
  if (!/\buserInfo\s*\{\s*roles\s+__typename\s*\}/.test(query ?? "")) {
    json(200, { errors: [{ message: `not answered here: ${query}` }] });
    return;
  }
  rolesAskedBy.push(email);
  json(200, {
    data: { userInfo: { roles: ROLES[email] ?? [], __typename: "UserInfo" } },
  });
}

/**
 * A static server for a built admin on 127.0.0.1 (ephemeral port): a file of the build when the
 * path names one, else index.html (SPA fallback). It listens before the build exists, because the
 * admin's own address is baked into the bundle; until `serve(dir)` it answers 503. It also stands
 * in for the app's API at POST /graphql (answerGraphql).
 */
async function startStaticServer() {
  let root: string | undefined;
  const server = http.createServer((req, res) => {
    if (!root) {
      res.writeHead(503).end();
      return;
    }
    if (req.method === "POST" && req.url === "/graphql") {
      answerGraphql(req, res).catch((error: Error) => {
        browserLog.push(`stand-in API failed: ${error.message}`);
        res.writeHead(500).end();
      });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const { pathname } = new URL(req.url ?? "/", "http://static");
    let file = path.join(root, path.normalize(decodeURIComponent(pathname)));
    if (
      !file.startsWith(root + path.sep) ||
      !fs.statSync(file, { throwIfNoEntry: false })?.isFile()
    ) {
      file = path.join(root, "index.html");
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, {
      "content-type":
        CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    origin: `http://${HOST}:${port}`,
    serve: (dir: string) => {
      root = path.resolve(dir);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let scratch: string | undefined;
let admin: Awaited<ReturnType<typeof startStaticServer>> | undefined;
let issuer: RunningIssuer | undefined;
let build: ViteBuildResult | undefined;
let browser: Browser | undefined;
const browserLog: string[] = [];

beforeAll(async () => {
  ensureAdminWorkspace("ra5");
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium; .ci/run does)`,
    );
  }
  admin = await startStaticServer();
  // The app as a user has it: generated in the 2025 shape (scripts/bench/generate-app.ts, from
  // fixtures/apps/shop-2025) and converted by apply.
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "admin-signin-"));
  const app = generateApp(ENTITIES, path.join(scratch, "app"));
  const converted = await run({
    root: app.dir,
    command: "apply",
    allowDirty: true,
  });
  expect(converted.written).toBe(true);
  const ADMIN = path.join(app.dir, app.admin);
  const adminEnv = readDotenv(path.join(ADMIN, ".env"));
  const clientId = adminEnv.VITE_REACT_APP_AUTH0_CLIENT_ID;
  if (!clientId) throw new Error("the converted admin's .env has no client id");
  const redirectUri = `${admin.origin}/auth-callback`;
  const logoutUri = `${admin.origin}/login`;
  issuer = await startSpaIssuer({
    SPA_ISSUER_CLIENT_ID: clientId,
    SPA_ISSUER_REDIRECT_URI: redirectUri,
    SPA_ISSUER_LOGOUT_URI: logoutUri,
  });

  // The converted admin, unchanged except for its .env: where "Auth0" and the admin now live.
  const copy = path.join(scratch, path.basename(ADMIN));
  fs.cpSync(ADMIN, copy, {
    recursive: true,
    filter: (from) =>
      !path.relative(ADMIN, from).split(path.sep).includes("node_modules"),
  });
  const env: Record<string, string> = {
    ...adminEnv,
    VITE_REACT_APP_AUTH0_DOMAIN: issuer.domain,
    VITE_REACT_APP_AUTH0_REDIRECT_URI: redirectUri,
    VITE_REACT_APP_AUTH0_LOGOUT_REDIRECT_URI: logoutUri,
    // The stand-in API (answerGraphql) answers on the admin's own origin.
    VITE_REACT_APP_SERVER_URL: admin.origin,
  };
  fs.writeFileSync(
    path.join(copy, ".env"),
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(""),
  );

  build = buildViteAdmin(copy);
  if (!build.ok) throw new Error(`vite build failed:\n${build.output}`);
  admin.serve(build.outDir);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: STEP_TIMEOUT_MS,
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await admin?.close();
  await issuer?.stop();
  if (build) disposeViteBuild(build);
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** How many requests of each kind the provider has answered since `mark` (a stderr offset). */
function providerCalls(mark = 0) {
  const log = issuer?.stderr().slice(mark) ?? "";
  const count = (line: string) =>
    log.split("\n").filter((l) => l === line).length;
  return {
    authorize: count("GET /authorize"),
    token: count("POST /oauth/token"),
    logout: count("GET /v2/logout"),
  };
}

/** What to show when a step fails: where the page is, what the browser and the provider said. */
function diagnosis(page: Page): string {
  const calls = providerCalls();
  return [
    `page URL: ${page.url()}`,
    `provider requests so far: ${calls.authorize} GET /authorize, ${calls.token} POST /oauth/token, ` +
      `${calls.logout} GET /v2/logout`,
    "--- browser console (last 20) ---",
    ...browserLog.slice(-20),
    "--- provider log (last 30 lines) ---",
    ...(issuer?.stderr() ?? "").trimEnd().split("\n").slice(-30),
  ].join("\n");
}

/** `promise`, or `fallback` if it takes more than 5 s (a page that keeps navigating may never answer). */
function bounded<T>(promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.catch(() => fallback),
    new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), 5_000);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function step<T>(page: Page, what: string, run: () => Promise<T>) {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${what}: ${(error as Error).message}\n${diagnosis(page)}`);
  }
}

/**
 * A fresh browser tab (its own cookies and storage). `urls` lists every URL its page went
 * through: page loads, and changes within a page (pushState, replaceState, the hash), which is how
 * react-admin's router moves.
 */
async function newTab() {
  const context = await browser!.newContext();
  // Nothing leaves 127.0.0.1 (react-admin, for one, reports to its telemetry server).
  await context.route(
    (url) => url.hostname !== HOST,
    (route) => route.abort("blockedbyclient"),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  // The blocked requests above are expected; everything else that fails is worth showing.
  page.on("console", (message) => {
    if (!message.text().includes("ERR_BLOCKED_BY_CLIENT"))
      browserLog.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) =>
    browserLog.push(`pageerror: ${error.message}`),
  );
  page.on("requestfailed", (request) => {
    if (new URL(request.url()).hostname === HOST)
      browserLog.push(
        `request failed: ${request.url()} (${request.failure()?.errorText})`,
      );
  });
  const urls: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url());
  });
  return {
    page,
    urls,
    signIn: page.getByRole("button", { name: SIGN_IN_BUTTON }),
    dashboard: page.getByText(DASHBOARD_TEXT),
    close: async () => {
      // A page caught in a redirect loop can keep context.close() waiting: leave the loop first.
      await bounded(page.goto("about:blank"), null);
      // Bounded all the same: whatever is left open goes with the browser in afterAll.
      await bounded(context.close(), undefined);
    },
  };
}

test(
  "a signed-out visitor who opens the admin gets its login page, and stays there",
  async () => {
    const tab = await newTab();
    const { page, signIn } = tab;
    try {
      const mark = issuer!.stderr().length;
      await page.goto(`${admin!.origin}/`);
      const shown = await signIn.waitFor().then(
        () => true,
        () => false,
      );
      if (!shown) {
        const { logout } = providerCalls(mark);
        throw new Error(
          `the admin's login page did not show within ${STEP_TIMEOUT_MS} ms` +
            (logout > 0
              ? `: the admin sent the signed-out visitor to the provider's /v2/logout ${logout} time(s), ` +
                "and each logout's returnTo brought it back to the admin, which signed it out again"
              : "") +
            `\n${diagnosis(page)}`,
        );
      }
      // The premise: react-admin's routes live in the hash (its login route is "#/login").
      const loginUrl = new URL(page.url());
      expect(loginUrl.pathname).toBe("/");
      expect(loginUrl.hash).toBe("#/login");

      // Nothing moves on by itself: no sign-out round trip through the provider.
      await page.waitForTimeout(SETTLE_MS);
      expect(page.url()).toBe(loginUrl.href);
      expect(await signIn.isVisible()).toBe(true);
      expect(providerCalls(mark)).toEqual({
        authorize: 0,
        token: 0,
        logout: 0,
      });
    } finally {
      await tab.close();
    }
  },
  TEST_TIMEOUT_MS,
);

test(
  "signing in from the login page goes through the provider and lands on the dashboard",
  async () => {
    const adminOrigin = admin!.origin;
    const issuerOrigin = new URL(issuer!.issuer).origin;
    const tab = await newTab();
    const { page, urls, signIn, dashboard } = tab;
    try {
      // Where react-admin sends a signed-out user: its login route.
      await step(page, "the admin's login page did not show", async () => {
        await page.goto(`${adminOrigin}/#/login`);
        await signIn.waitFor();
      });

      await step(page, "the provider's sign-in form did not show", async () => {
        await signIn.click();
        await page.waitForURL(
          (url) =>
            url.origin === issuerOrigin &&
            url.pathname.startsWith("/interaction/"),
        );
      });
      const mark = issuer!.stderr().length;
      await step(
        page,
        "the provider did not send the browser back",
        async () => {
          await page.getByLabel("Email").fill(USER_EMAIL);
          await page.getByRole("button", { name: "Continue" }).click();
          await page.waitForURL((url) => url.origin === adminOrigin);
        },
      );

      // Back in the admin. react-admin may paint the dashboard before its first auth check ends,
      // so wait for a first screen, then let the admin settle before judging.
      await dashboard
        .or(signIn)
        .first()
        .waitFor()
        .catch(() => undefined);
      await page.waitForTimeout(SETTLE_MS);
      const onDashboard =
        (await bounded(dashboard.isVisible(), false)) &&
        (await bounded(signIn.count(), -1)) === 0;
      const calls = providerCalls(mark);

      const arrivalIndex = urls.findIndex((url) => {
        const { origin, pathname } = new URL(url);
        return origin === adminOrigin && pathname === "/auth-callback";
      });
      const sinceReturn = urls.slice(Math.max(arrivalIndex, 0));
      expect(arrivalIndex).toBeGreaterThanOrEqual(0);
      const arrival = new URL(urls[arrivalIndex]!);
      // The provider sent the browser to the callback, with the code in the query...
      expect(arrival.searchParams.has("code")).toBe(true);
      expect(arrival.searchParams.has("state")).toBe(true);
      // ...and react-admin's hash router never saw its /auth-callback route.
      expect(sinceReturn.map((url) => new URL(url).hash)).not.toContain(
        "#/auth-callback",
      );

      if (!onDashboard || calls.token === 0) {
        const toLogin = sinceReturn.filter(
          (url) => new URL(url).hash === "#/login",
        ).length;
        throw new Error(
          "sign-in did not finish: back from the provider, the admin " +
            (onDashboard
              ? "shows its dashboard but never exchanged the code. "
              : "is not on its dashboard. ") +
            `Since the return it went to its login route (#/login) ${toLogin} time(s), and the provider answered ` +
            `${calls.token} POST /oauth/token and ${calls.logout} GET /v2/logout.\n` +
            `First URLs since the return: ${sinceReturn.slice(0, 6).join(" -> ")}\n${diagnosis(page)}`,
        );
      }
      // Signed in: the code was exchanged once at the provider (by the browser, over CORS), the URL
      // no longer carries it, the login page is gone, and nobody was signed out.
      expect(calls).toEqual({ authorize: 0, token: 1, logout: 0 });
      expect(page.url()).not.toContain("code=");
      expect(new URL(page.url()).searchParams.has("state")).toBe(false);
      // The admin asked the API for this user's roles, and a user with a role gets the usual
      // layout, not the no-role page.
      expect(rolesAskedBy).toContain(USER_EMAIL);
      expect(await page.getByText(NO_ROLE_HEADING).count()).toBe(0);
    } finally {
      await tab.close();
    }
  },
  TEST_TIMEOUT_MS,
);

test(
  "signing out ends the provider's session and leaves the admin on a login page that stays",
  async () => {
    const adminOrigin = admin!.origin;
    const issuerOrigin = new URL(issuer!.issuer).origin;
    const tab = await newTab();
    const { page, signIn, dashboard } = tab;
    const atSignInForm = (url: URL) =>
      url.origin === issuerOrigin && url.pathname.startsWith("/interaction/");
    try {
      await step(page, "sign-in did not reach the dashboard", async () => {
        await page.goto(`${adminOrigin}/#/login`);
        await signIn.click();
        await page.waitForURL(atSignInForm);
        await page.getByLabel("Email").fill(USER_EMAIL);
        await page.getByRole("button", { name: "Continue" }).click();
        await dashboard.waitFor();
      });

      const mark = issuer!.stderr().length;
      await step(page, "signing out did not reach the login page", async () => {
        // react-admin 5's user menu ("Profile") holds its Logout item.
        await page.getByRole("button", { name: "Profile" }).click();
        await page.getByRole("menuitem", { name: "Logout" }).click();
        await signIn.waitFor();
      });
      await page.waitForTimeout(SETTLE_MS);
      expect(await signIn.isVisible()).toBe(true);
      // One trip to the provider's logout, and none back: the page stays.
      expect(providerCalls(mark)).toEqual({
        authorize: 0,
        token: 0,
        logout: 1,
      });

      // The provider's session is gone: signing in again asks who you are.
      await step(
        page,
        "the provider did not ask to sign in again",
        async () => {
          await signIn.click();
          await page.waitForURL(atSignInForm);
        },
      );
    } finally {
      await tab.close();
    }
  },
  TEST_TIMEOUT_MS,
);

test(
  "a signed-in user without a role gets a page that says who they are, and can sign out from it",
  async () => {
    const adminOrigin = admin!.origin;
    const issuerOrigin = new URL(issuer!.issuer).origin;
    const tab = await newTab();
    const { page, signIn, dashboard } = tab;
    const noRole = page.getByRole("heading", { name: NO_ROLE_HEADING });
    try {
      await step(page, "sign-in did not reach the no-role page", async () => {
        await page.goto(`${adminOrigin}/#/login`);
        await signIn.click();
        await page.waitForURL(
          (url) =>
            url.origin === issuerOrigin &&
            url.pathname.startsWith("/interaction/"),
        );
        await page.getByLabel("Email").fill(NO_ROLE_EMAIL);
        await page.getByRole("button", { name: "Continue" }).click();
        await noRole.waitFor();
      });
      await page.waitForTimeout(SETTLE_MS);
      // Still there: who they are and what to do, instead of the menu and pages the API refuses.
      const text = (await page.getByRole("main").innerText()).replace(
        /\s+/g,
        " ",
      );
      expect(text).toContain(`signed in as ${NO_ROLE_EMAIL}`);
      expect(text).toContain("no role has been granted to this account yet");
      expect(text).toContain("Ask an administrator");
      expect(await dashboard.count()).toBe(0);
      expect(rolesAskedBy).toContain(NO_ROLE_EMAIL);

      const mark = issuer!.stderr().length;
      await step(page, "signing out did not reach the login page", async () => {
        await page.getByRole("button", { name: "Sign out" }).click();
        await signIn.waitFor();
      });
      await page.waitForTimeout(SETTLE_MS);
      expect(await signIn.isVisible()).toBe(true);
      expect(await noRole.count()).toBe(0);
      // Signed out at the provider too, once.
      expect(providerCalls(mark)).toEqual({
        authorize: 0,
        token: 0,
        logout: 1,
      });
    } finally {
      await tab.close();
    }
  },
  TEST_TIMEOUT_MS,
);
