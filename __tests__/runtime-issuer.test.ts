/**
 * The loopback token issuer (scripts/runtime/issuer.mjs) that the runtime security tests point
 * converted servers at: real HTTP against a real process, nothing mocked. Signatures are checked
 * with node:crypto against the JWKS the issuer serves (jose 6 is ESM-only, and this repo's jest
 * transform turns `await import("jose")` into a require that cannot load it).
 */
import {
  createHmac,
  createPublicKey,
  verify,
  type JsonWebKey,
} from "node:crypto";
import { IssuerRequestError, startIssuer, type Issuer } from "./helpers/issuer";

const AUDIENCE = "https://api.notebook.example";
const NAMESPACE = "https://api.notebook.example/";

interface Jwk extends JsonWebKey {
  kid: string;
  alg?: string;
  use?: string;
}

interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

function decode(token: string): DecodedJwt {
  const parts = token.split(".");
  expect(parts).toHaveLength(3);
  const [header, payload, signature] = parts as [string, string, string];
  const json = (part: string) =>
    JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  return {
    header: json(header),
    payload: json(payload),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, "base64url"),
  };
}

async function getJson(
  url: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

async function jwksOf(issuer: string): Promise<Jwk[]> {
  const { status, body } = await getJson(`${issuer}.well-known/jwks.json`);
  expect(status).toBe(200);
  return (body as { keys: Jwk[] }).keys;
}

/** RS256 verification of a token against the key its kid names in the issuer's served JWKS. */
async function verifiesAgainstJwks(
  token: string,
  issuer: string,
): Promise<boolean> {
  const { header, signingInput, signature } = decode(token);
  const jwk = (await jwksOf(issuer)).find((key) => key.kid === header.kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: "jwk" });
  return verify("RSA-SHA256", Buffer.from(signingInput), key, signature);
}

describe("runtime token issuer", () => {
  let iss: Issuer;

  beforeAll(async () => {
    iss = await startIssuer({ audience: AUDIENCE, namespace: NAMESPACE });
  });

  afterAll(async () => {
    await iss?.stop();
  });

  it("announces two trailing-slash loopback issuers and four distinct kids", () => {
    expect(iss.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(iss.otherIssuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(iss.otherIssuer).not.toBe(iss.issuer);
    expect(new Set(Object.values(iss.kids)).size).toBe(4);
  });

  it("publishes a discovery document with the trailing-slash issuer and Auth0's JWKS path", async () => {
    const { status, body } = await getJson(
      `${iss.issuer}.well-known/openid-configuration`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: iss.issuer,
      jwks_uri: iss.jwksUri,
      token_endpoint: `${iss.issuer}token`,
    });
    expect(
      (body as { grant_types_supported: string[] }).grant_types_supported,
    ).toContain("client_credentials");
  });

  it("serves k1 only, public parts only", async () => {
    const keys = await jwksOf(iss.issuer);
    expect(keys.map((key) => key.kid)).toEqual([iss.kids.k1]);
    expect(keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("issues an RS256 access token for the audience, with the requested email claims", async () => {
    const token = await iss.token({
      client: "alice",
      email: "alice@example.test",
      email_verified: true,
    });
    const { header, payload } = decode(token);
    expect(header).toMatchObject({ alg: "RS256", kid: iss.kids.k1 });
    expect(payload).toMatchObject({
      iss: iss.issuer,
      aud: AUDIENCE,
      sub: "alice",
      [`${NAMESPACE}email`]: "alice@example.test",
      [`${NAMESPACE}email_verified`]: true,
    });
    expect(typeof payload.exp).toBe("number");
    expect(payload.exp as number).toBeGreaterThan(Date.now() / 1000);
    expect(await verifiesAgainstJwks(token, iss.issuer)).toBe(true);

    const unverified = decode(
      await iss.token({
        client: "bob",
        email: "bob@example.test",
        email_verified: false,
      }),
    );
    expect(unverified.payload).toMatchObject({
      sub: "bob",
      [`${NAMESPACE}email_verified`]: false,
    });
  });

  it("leaves the email claims out when the request did not ask for them", async () => {
    const { payload } = decode(await iss.token({ client: "carol" }));
    expect(payload.sub).toBe("carol");
    expect(payload).not.toHaveProperty(`${NAMESPACE}email`);
    expect(payload).not.toHaveProperty(`${NAMESPACE}email_verified`);
  });

  it("passes the provider's refusals through", async () => {
    await expect(
      iss.token({ client: "alice", resource: "https://other-api.example" }),
    ).rejects.toMatchObject({ status: 400, body: { error: "invalid_target" } });
    const unknownClient = iss.token({ client: "mallory" });
    await expect(unknownClient).rejects.toBeInstanceOf(IssuerRequestError);
    await expect(unknownClient).rejects.toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
  });

  it("issues issuer B's tokens with issuer B and kB, which issuer A does not publish", async () => {
    const token = await iss.token({
      issuer: "b",
      client: "alice",
      email: "alice@example.test",
    });
    const { header, payload } = decode(token);
    expect(header).toMatchObject({ alg: "RS256", kid: iss.kids.kB });
    expect(payload).toMatchObject({
      iss: iss.otherIssuer,
      aud: AUDIENCE,
      sub: "alice",
    });
    expect(await verifiesAgainstJwks(token, iss.otherIssuer)).toBe(true);
    expect(await verifiesAgainstJwks(token, iss.issuer)).toBe(false);
  });

  it("mints the claims exactly as given, with the chosen key and kid", async () => {
    const claims = { iss: iss.issuer, aud: AUDIENCE, sub: "auth0|minted" };
    const plain = decode(await iss.mint({ claims }));
    expect(plain.header).toEqual({ alg: "RS256", kid: iss.kids.k1 });
    expect(plain.payload).toEqual(claims);

    const forged = await iss.mint({
      claims,
      key: "other",
      kid: iss.kids.k1,
      typ: "at+jwt",
    });
    expect(decode(forged).header).toEqual({
      alg: "RS256",
      kid: iss.kids.k1,
      typ: "at+jwt",
    });
    expect(await verifiesAgainstJwks(forged, iss.issuer)).toBe(false);

    expect(decode(await iss.mint({ claims, kid: null })).header).toEqual({
      alg: "RS256",
    });
    const rs384 = decode(await iss.mint({ claims, alg: "RS384" }));
    expect(rs384.header.alg).toBe("RS384");
    const [k1] = await jwksOf(iss.issuer);
    const k1Key = createPublicKey({ key: k1!, format: "jwk" });
    expect(
      verify(
        "RSA-SHA384",
        Buffer.from(rs384.signingInput),
        k1Key,
        rs384.signature,
      ),
    ).toBe(true);
  });

  it("mints alg none with an empty signature part", async () => {
    const token = await iss.mint({ claims: { sub: "x" }, alg: "none" });
    expect(token.endsWith(".")).toBe(true);
    const { header, signature } = decode(token);
    expect(header.alg).toBe("none");
    expect(signature).toHaveLength(0);
  });

  it("mints HS256 keyed with the public key's PEM (algorithm confusion)", async () => {
    const token = await iss.mint({
      claims: { sub: "x" },
      alg: "HS256-public-key",
    });
    const { header, signingInput, signature } = decode(token);
    expect(header).toEqual({ alg: "HS256", kid: iss.kids.k1 });
    const [jwk] = await jwksOf(iss.issuer);
    const pem = createPublicKey({ key: jwk!, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    });
    const expected = createHmac("sha256", pem).update(signingInput).digest();
    expect(signature.equals(expected)).toBe(true);
  });

  it("rotates the published keys, takes the JWKS down and counts every JWKS request", async () => {
    const before = await iss.state();
    expect(before).toMatchObject({
      jwksMode: "up",
      publishedKids: [iss.kids.k1],
    });

    expect(await iss.setJwks({ keys: ["k1", "k2"] })).toMatchObject({
      publishedKids: [iss.kids.k1, iss.kids.k2],
    });
    expect((await jwksOf(iss.issuer)).map((key) => key.kid)).toEqual([
      iss.kids.k1,
      iss.kids.k2,
    ]);
    const k2Token = await iss.mint({ claims: { sub: "x" }, key: "k2" });
    expect(await verifiesAgainstJwks(k2Token, iss.issuer)).toBe(true);

    await iss.setJwks({ mode: "down" });
    const down = await getJson(iss.jwksUri);
    expect(down.status).toBe(503);

    const after = await iss.setJwks({ mode: "up", keys: ["k1"] });
    expect(after).toMatchObject({
      jwksMode: "up",
      publishedKids: [iss.kids.k1],
    });
    // Three JWKS fetches above: the rotated set, the k2 verification, the 503.
    expect(after.jwksRequests).toBe(before.jwksRequests + 3);
  });

  it("honours ISSUER_CLIENTS and stops cleanly", async () => {
    const own = await startIssuer({
      audience: AUDIENCE,
      namespace: NAMESPACE,
      clients: ["zoe"],
    });
    expect(decode(await own.token({ client: "zoe" })).payload.sub).toBe("zoe");
    await expect(own.token({ client: "alice" })).rejects.toMatchObject({
      status: 401,
    });
    await own.stop();
    await own.stop();
    await expect(own.state()).rejects.toThrow();
    expect(own.stderr()).not.toMatch(/Error:/);
  });

  it("reports an issuer that exits before its start line, with its stderr", async () => {
    await expect(
      startIssuer({ audience: AUDIENCE, namespace: "" }),
    ).rejects.toThrow(/exited early[\s\S]*ISSUER_NAMESPACE is required/);
  });
});
