/**
 * server/jwt-auth-guard-no-role: src/auth/jwt/jwtAuth.guard.ts refuses a signed-in user who has
 * no role with a 403 that says so, on the routes the access control guards.
 *
 * The generated guards pass `user.roles` to nest-access-control, whose accesscontrol library
 * throws on an empty role list: every guarded route answered such a user with a 500. Both the
 * REST guard (DefaultAuthGuard) and the GraphQL one (GqlDefaultAuthGuard) extend JwtAuthGuard,
 * and it runs before the access control guard, so one check here covers both. Routes without
 * `@UseRoles` (userInfo) still answer. The file is generated (a one-line class in every era).
 */
import type { FileEdit, RuleContext } from "../../src/plan/rule";
import { generatedFile } from "../lib/generated-file";
import { GENERATED_BANNER } from "../lib/banner";

const GENERATED_SHAPE =
  /^\s*import\s*\{\s*AuthGuard\s*\}\s*from\s*["']@nestjs\/passport["'];?\s*export\s+class\s+JwtAuthGuard\s+extends\s+AuthGuard\(\s*["']jwt["']\s*\)\s*\{\s*\}\s*$/;

const jwtAuthGuardNoRole: FileEdit = generatedFile({
  replaces: (source) =>
    GENERATED_SHAPE.test(source) || source.startsWith(GENERATED_BANNER),
  refusal: {
    reason:
      "the file is neither the generated JwtAuthGuard nor the one this rule writes",
    fix: "restore the generated file (Amplication regenerates it), or turn this rule off and refuse users without a role yourself",
  },
  render,
});

function render(context: RuleContext): string {
  const { emailField } = context.config.user;
  return `${GENERATED_BANNER}
import { ExecutionContext, ForbiddenException } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { AuthGuard } from "@nestjs/passport";

const reflector = new Reflector();

export class JwtAuthGuard extends AuthGuard("jwt") {
  /**
   * A signed-in user with no role gets a 403 that says so on the routes the access control
   * guards (those with @UseRoles): its library throws on an empty role list, a 500. Routes
   * without roles, such as userInfo, still answer.
   */
  handleRequest<TUser = any>(
    err: any,
    user: any,
    info: any,
    context: ExecutionContext,
    status?: any,
  ): TUser {
    const signedIn: Record<string, unknown> = super.handleRequest(err, user, info, context, status);
    const guarded = reflector.get<unknown>("roles", context.getHandler()) !== undefined;
    if (guarded && (!Array.isArray(signedIn.roles) || signedIn.roles.length === 0)) {
      throw new ForbiddenException(
        \`Signed in as \${String(signedIn.${emailField})}, but no role has been granted to this account yet: ask an administrator to grant you one\`,
      );
    }
    return signedIn as TUser;
  }
}
`;
}

export default jwtAuthGuardNoRole;
