/**
 * A converted admin of the react-admin 3 generations (2021 to 2024) asks the server for its GraphQL
 * schema (ra-data-graphql's introspection) before its first query, and the releases of its data
 * provider that the earliest of them pin ask as the page opens (App.tsx shows "Loading" until the
 * data provider is built), before anyone has signed in. Such a request must go out without a
 * token when there is none: else it never goes out, and the admin never gets to its login page.
 * Once signed in, every request carries the Auth0 access token.
 *
 * What is real: graphqlDataProvider.ts as `apply` wrote it in the store-2024 whole-app fixture
 * (compiled with TypeScript), the ra3 workspace's @apollo/client, ra-data-graphql-amplication
 * 0.0.14 and graphql (scripts/typecheck/admin-ra3), and a GraphQL server over HTTP on 127.0.0.1
 * with a schema of its own, which answers without checking tokens (the converted server's checks
 * are __tests__/runtime.test.ts's). The provider's first query (getList) makes it introspect.
 * What is replaced: the admin's auth0Client (src/auth-provider/ra-auth-auth0.ts), whose
 * getTokenSilently() needs a browser and an Auth0 tenant: a module whose getTokenSilently()
 * rejects as auth0-spa-js does for a visitor without a session (`login_required`), or gives a
 * token. __tests__/admin-signin.test.ts runs the real SDK in a browser.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { ensureAdminWorkspace } from "../scripts/typecheck/typecheck-admins";

jest.setTimeout(5 * 60 * 1000);

const ADMIN = path.resolve(
  __dirname,
  "../fixtures/apps/store-2024/expected/apps/store-admin",
);
const PROVIDER = "src/data-provider/graphqlDataProvider.ts";

/** The auth link the rule wrote before it let a signed-out request through. */
const EARLIER_LINK = `const authLink = setContext(async (_, { headers }) => {
  const token = await auth0Client.getTokenSilently();
  return {
    headers: {
      ...headers,
      authorization: \`Bearer \${token}\`,
    },
  };
});`;

/**
 * Runs the compiled provider in a node process that resolves packages from the ra3 workspace,
 * with a GraphQL server of its own, and asks it for a list; says whether the list came and which
 * Authorization headers the server saw.
 */
function openAdmin(
  source: string,
  session: "signed-out" | "signed-in",
): { answered: boolean; authorization: Array<string | null>; error?: string } {
  const workspace = ensureAdminWorkspace("ra3");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "admin-provider-"));
  try {
    fs.mkdirSync(path.join(dir, "data-provider"));
    fs.mkdirSync(path.join(dir, "auth-provider"));
    fs.writeFileSync(
      path.join(dir, "data-provider/graphqlDataProvider.js"),
      ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2020,
          esModuleInterop: true,
        },
      }).outputText,
    );
    // auth0-spa-js rejects getTokenSilently() with error "login_required" without a session
    fs.writeFileSync(
      path.join(dir, "auth-provider/ra-auth-auth0.js"),
      `exports.auth0Client = {
        getTokenSilently: () =>
          process.env.SESSION === "signed-in"
            ? Promise.resolve("token-of-ada")
            : Promise.reject(Object.assign(new Error("Login required"), { error: "login_required" })),
      };\n`,
    );
    fs.writeFileSync(
      path.join(dir, "open.js"),
      `const http = require("node:http");
const { buildSchema, graphqlSync, getIntrospectionQuery } = require("graphql");
// an entity as Amplication's servers have it: item, items and _itemsMeta
const schema = buildSchema(\`
  type Item { id: String! name: String }
  input ItemWhereUniqueInput { id: String! }
  input StringFilter { equals: String }
  input ItemWhereInput { id: StringFilter }
  enum SortOrder { Asc Desc }
  input ItemOrderByInput { id: SortOrder }
  type MetaQueryPayload { count: Float! }
  type Query {
    item(where: ItemWhereUniqueInput!): Item
    items(where: ItemWhereInput, orderBy: [ItemOrderByInput!], skip: Float, take: Float): [Item!]!
    _itemsMeta(where: ItemWhereInput): MetaQueryPayload!
  }
\`);
const rootValue = { items: () => [{ id: "1", name: "one" }], _itemsMeta: () => ({ count: 1 }) };
const seen = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    seen.push(req.headers.authorization ?? null);
    const { query, variables } = JSON.parse(body);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(graphqlSync({ schema, rootValue, source: query, variableValues: variables })));
  });
});
server.listen(0, "127.0.0.1", () => {
  process.env.REACT_APP_SERVER_URL = "http://127.0.0.1:" + server.address().port;
  const built = require("./data-provider/graphqlDataProvider.js").default;
  const timeout = setTimeout(() => finish(false, "no answer in 20 s"), 20000);
  const finish = (ok, error) => {
    clearTimeout(timeout);
    console.log(JSON.stringify({ answered: ok, authorization: seen, error }));
    server.close();
    process.exit(0);
  };
  Promise.resolve(built)
    .then((provider) => provider.getList("Item", { pagination: { page: 1, perPage: 10 }, sort: { field: "id", order: "ASC" }, filter: {} }))
    .then(
      () => finish(true),
      (error) => finish(false, String(error && error.message)),
    );
});
`,
    );
    const result = spawnSync(process.execPath, ["open.js"], {
      cwd: dir,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        NODE_PATH: path.join(workspace, "node_modules"),
        SESSION: session,
      },
      timeout: 60_000,
    });
    if (result.status !== 0)
      throw new Error(`the admin's provider did not run: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").pop()!);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("a converted react-admin 3 admin's data provider", () => {
  const converted = fs.readFileSync(path.join(ADMIN, PROVIDER), "utf8");

  it("asks the server without a token for a visitor who has not signed in", () => {
    // the schema, then the list: neither with an Authorization header
    expect(openAdmin(converted, "signed-out")).toEqual({
      answered: true,
      authorization: [null, null],
    });
  });

  it("sends the Auth0 access token once signed in", () => {
    expect(openAdmin(converted, "signed-in")).toEqual({
      answered: true,
      authorization: ["Bearer token-of-ada", "Bearer token-of-ada"],
    });
  });

  it("(the premise) with the link written before, nothing reached the server for a visitor who has not signed in", () => {
    const start = converted.indexOf("const authLink = ");
    const end = converted.indexOf("\n});\n", start) + 4;
    expect(start).toBeGreaterThan(-1);
    const earlier =
      converted.slice(0, start) + EARLIER_LINK + converted.slice(end);
    expect(earlier).toContain("await auth0Client.getTokenSilently();");
    const opened = openAdmin(earlier, "signed-out");
    expect(opened.answered).toBe(false);
    expect(opened.authorization).toEqual([]);
  });
});
