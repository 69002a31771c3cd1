/**
 * admin/graphql-data-provider: the Apollo auth link sends `Authorization: Bearer <access token>`
 * with a token from auth0Client.getTokenSilently(), whose audience comes from the client's own
 * configuration (an explicit `audience: undefined` here would override it). When no token can
 * be had, the error reaches Apollo and the request is not sent. `apolloClient` and the default
 * export keep their shape.
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
  const token = await auth0Client.getTokenSilently();
  return {
    headers: {
      ...headers,
      authorization: \`Bearer \${token}\`,
    },
  };
})`;

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
  if (j(init).toSource().includes("auth0Client.getTokenSilently()"))
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
