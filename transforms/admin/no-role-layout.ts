/**
 * admin/no-role-layout: src/NoRoleLayout.tsx, react-admin's layout behind a check of the
 * signed-in user's roles. A user the server knows but who has no role yet gets a page that says
 * so (signed in as whom, ask an administrator), with a sign-out button, instead of the menu and
 * pages whose every query the server refuses (403). Anyone else gets the usual layout.
 *
 * The roles come from the server's `<entity>Info` query (userInfo), which answers a user without
 * a role and returns the roles the server goes by, whichever the roles' source (the database, or
 * the token's claim, stored on each request). Asking the server, rather than reading a 403,
 * keeps a 403 for another reason (a role without this permission) an ordinary error. The
 * check fails open: the server still refuses what the user may not do.
 *
 * The same file serves react-admin 3 and 5 (Layout, LayoutProps and useLogout exist in both).
 * App.tsx passes it as <Admin layout> (admin/app-no-role-layout). Regenerated on every run.
 */
import type { FileEdit, RuleContext } from "../../src/plan/rule";
import { generatedFile } from "../lib/generated-file";
import { GENERATED_BANNER } from "../lib/banner";

/** The component App.tsx passes as <Admin layout>, and the module it comes from. */
export const NO_ROLE_LAYOUT = "NoRoleLayout";
export const NO_ROLE_LAYOUT_MODULE = "./NoRoleLayout";

const noRoleLayout: FileEdit = generatedFile({
  replaces: (source) => source.startsWith(GENERATED_BANNER),
  refusal: {
    reason: "the file exists and was not written by this tool",
    fix: "rename your NoRoleLayout.tsx (the conversion writes its own there), or turn this rule off",
  },
  render,
});

function render(context: RuleContext): string {
  const query = `${context.profile.server.entity?.camel ?? "user"}Info`;
  return `${GENERATED_BANNER}
import * as React from "react";
import { gql } from "@apollo/client";
import { Layout, LayoutProps, useLogout } from "react-admin";
import { auth0AuthProvider, auth0Client } from "./auth-provider/ra-auth-auth0";
import { apolloClient } from "./data-provider/graphqlDataProvider";

// The server answers this for a user without a role too (no @UseRoles on it).
const ROLES = gql\`
  query NoRoleLayoutRoles {
    ${query} {
      roles
    }
  }
\`;

/**
 * Who is signed in, when the server says they have no role yet; undefined for anyone else,
 * and when the answer is not a list of roles (the usual layout then shows the server's errors).
 */
async function signedInWithoutRole(): Promise<string | undefined> {
  // The layout can show while Auth0's return is still being handled: checkAuth finishes that
  // sign-in (once, whoever asks first). Signed out, react-admin shows the login page instead.
  try {
    await auth0AuthProvider.checkAuth({});
  } catch {
    return undefined;
  }
  const { data } = await apolloClient.query<
    Record<string, { roles?: unknown } | null>
  >({ query: ROLES, fetchPolicy: "network-only" });
  const roles = data?.${query}?.roles;
  if (!Array.isArray(roles) || roles.length > 0) return undefined;
  const user = await auth0Client.getUser();
  return user?.email ?? user?.name ?? user?.sub ?? "an unknown user";
}

export const NoRoleLayout = (props: LayoutProps): React.ReactElement | null => {
  // undefined while asking, null for the usual layout, else who is signed in without a role.
  const [noRole, setNoRole] = React.useState<string | null | undefined>();
  React.useEffect(() => {
    let current = true;
    signedInWithoutRole().then(
      (who) => current && setNoRole(who ?? null),
      () => current && setNoRole(null),
    );
    return () => {
      current = false;
    };
  }, []);
  if (noRole === undefined) return null;
  if (noRole === null) return <Layout {...props} />;
  return <NoRolePage signedInAs={noRole} />;
};

const NoRolePage = ({ signedInAs }: { signedInAs: string }) => {
  const logout = useLogout();
  return (
    <main style={{ maxWidth: "40rem", margin: "4rem auto", padding: "0 1rem" }}>
      <h1>No role granted yet</h1>
      <p>
        You are signed in as <strong>{signedInAs}</strong>, but no role has been
        granted to this account yet. Ask an administrator to grant you one, then
        sign in again.
      </p>
      <button type="button" onClick={() => logout()}>
        Sign out
      </button>
    </main>
  );
};
`;
}

export default noRoleLayout;
