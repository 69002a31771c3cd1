/**
 * server/auth0-payload-type: src/auth/jwt/base/Auth0Payload.ts types the access-token claims the
 * strategy reads. Regenerated on every run, like the other base files.
 */
import type { FileEdit } from "../../src/plan/rule";

const CONTENT = `/**
 * The claims of an Auth0 access token that the JWT strategy reads. Custom claims (the email
 * and email_verified our post-login Action adds) are read by name.
 */
export interface Auth0Payload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  scope?: string;
  [claim: string]: unknown;
}
`;

const auth0PayloadType: FileEdit = (source) =>
  source === CONTENT ? undefined : CONTENT;

export default auth0PayloadType;
