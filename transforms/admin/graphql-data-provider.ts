/**
 * admin/graphql-data-provider: the Apollo auth link sends `Authorization: Bearer <access token>`
 * with a token from auth0Client.getTokenSilently(), whose audience comes from the client's own
 * configuration (an explicit `audience: undefined` here would override it). Signed out, when
 * no token can be had, the request goes without one: the react-admin 3 admins ask the server
 * for its GraphQL schema before their first query, and the earliest releases of their data
 * provider as the page opens, before anyone signs in (App.tsx stays on "Loading" when that
 * request fails); the server answers it without a token and refuses everything else.
 * `apolloClient` and the default export keep their shape.
 */
import type { API, FileInfo, Transform } from "jscodeshift";
import {
  ensureNamedImport,
  joinNewImports,
  removeUnusedImports,
} from "../lib/imports";
import { pickParser } from "../lib/parser";
import { refuse } from "../lib/refusal";

const AUTH_LINK = `setContext(async (_, { headers }) => {
  // Signed out there is no token: the request goes without one (the schema query the admin
  // makes as it opens needs none; the server refuses every other).
  const token = await auth0Client.getTokenSilently().catch(() => undefined);
  return {
    headers: token ? { ...headers, authorization: \`Bearer \${token}\` } : headers,
  };
})`;

/** The auth links earlier versions of this rule wrote: each is replaced by AUTH_LINK. */
const EARLIER_AUTH_LINKS = [
  `setContext(async (_, { headers }) => {
  const token = await auth0Client.getTokenSilently();
  return {
    headers: {
      ...headers,
      authorization: \`Bearer \${token}\`,
    },
  };
})`,
];

/** Code without comments and white space, to compare texts however they were formatted. */
function bare(code: string): string {
  return code.replace(/\/\/[^\n]*/g, "").replace(/\s+|,(?=\s*[)}\]])/g, "");
}

const transform: Transform = (file: FileInfo, api: API) => {
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const root = j(file.source);
  const links = root.find(j.VariableDeclarator, { id: { name: "authLink" } });
  if (links.size() !== 1)
    return refuse(
      "no `const authLink = setContext(...)` was found",
      "restore the generated authLink",
    );
  const declarator = links.get().node;
  const init = declarator.init;
  if (
    !init ||
    init.type !== "CallExpression" ||
    init.callee.type !== "Identifier" ||
    init.callee.name !== "setContext"
  ) {
    return refuse(
      "authLink is not made with setContext(...)",
      "restore the generated authLink, or turn this rule off",
    );
  }
  // Ours already, or a link of the user's own that asks Auth0 for the token: left as it is.
  const current = bare(j(init).toSource());
  if (
    current === bare(AUTH_LINK) ||
    (current.includes("auth0Client.getTokenSilently()") &&
      !EARLIER_AUTH_LINKS.some((link) => current === bare(link)))
  )
    return undefined;
  if (
    root.find(j.VariableDeclarator, { id: { name: "apolloClient" } }).size() ===
    0
  ) {
    return refuse(
      "`export const apolloClient` is missing",
      "restore the generated apolloClient export",
    );
  }
  const replacement = j(`const authLink = ${AUTH_LINK};`).find(
    j.CallExpression,
    { callee: { name: "setContext" } },
  );
  init.arguments = replacement.get().node.arguments;
  ensureNamedImport(j, root, "auth0Client", "../auth-provider/ra-auth-auth0");
  removeUnusedImports(j, root);
  return joinNewImports(
    root.toSource({ quote: "double", trailingComma: true }),
    file.source,
  );
};

export default transform;
