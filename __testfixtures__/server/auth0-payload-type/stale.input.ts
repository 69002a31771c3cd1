export interface Auth0Payload {
  sub?: string;
  [claim: string]: unknown;
}
