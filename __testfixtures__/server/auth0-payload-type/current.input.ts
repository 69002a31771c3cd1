/**
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
