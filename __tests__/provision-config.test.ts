/** loadConfigFile / parseConfig options used by `provision`: overrides and tolerated placeholders. */
import { ConfigError } from "../src/config/load";
import { parseConfig } from "./helpers/config";

const withPlaceholders = JSON.stringify({
  auth0: {
    domain: "REPLACE_ME.eu.auth0.com",
    clientId: "REPLACE_ME",
    audience: "https://REPLACE_ME.example.com",
  },
  user: { entity: "User" },
});

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map(
      (p) => `${p.path}: ${p.message}`,
    );
  }
  throw new Error("expected the config to be rejected");
}

describe("config load options", () => {
  it("without options, every placeholder is still rejected (apply and check are unchanged)", () => {
    expect(
      problems(() => parseConfig(withPlaceholders)).map((p) => p.split(":")[0]),
    ).toEqual(["auth0.domain", "auth0.clientId", "auth0.audience"]);
  });

  it("overrides replace values before validation, and placeholders are accepted only where allowed", () => {
    const config = parseConfig(withPlaceholders, "auth0.config.json", {
      overrides: {
        "auth0.domain": "acme.eu.auth0.com",
        "auth0.audience": "https://api.acme.example",
      },
      allowPlaceholdersAt: ["auth0.clientId"],
    });
    expect(config.auth0).toEqual({
      domain: "acme.eu.auth0.com",
      clientId: "REPLACE_ME",
      audience: "https://api.acme.example",
    });
    expect(config.user.entity).toBe("User");
  });

  it("allowing a placeholder does not skip the schema, and other placeholders stay errors", () => {
    expect(
      problems(() =>
        parseConfig(withPlaceholders, "f", {
          allowPlaceholdersAt: ["auth0.clientId"],
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^auth0\.domain: still holds the placeholder/),
      expect.stringMatching(/^auth0\.audience: still holds the placeholder/),
    ]);
    // The allowed placeholder in a field whose pattern it fails is reported by the schema.
    expect(
      problems(() =>
        parseConfig(withPlaceholders, "f", {
          overrides: { "auth0.audience": "https://api.acme.example" },
          allowPlaceholdersAt: ["auth0.clientId", "auth0.domain"],
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^auth0\.domain: domain must be the tenant host name only/,
      ),
    ]);
  });

  it("an override is validated like a value from the file, and creates missing objects", () => {
    expect(
      problems(() =>
        parseConfig("{}", "f", {
          overrides: { "auth0.domain": "https://acme.eu.auth0.com" },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^auth0\.domain: domain must be the tenant host name only/,
        ),
      ]),
    );
    const config = parseConfig(
      JSON.stringify({ auth0: { clientId: "abc" } }),
      "f",
      {
        overrides: {
          "auth0.domain": "acme.eu.auth0.com",
          "auth0.audience": "https://api.acme.example",
        },
      },
    );
    expect(config.auth0.domain).toBe("acme.eu.auth0.com");
  });

  it("an override does not hide a value of the wrong type", () => {
    expect(
      problems(() =>
        parseConfig(JSON.stringify({ auth0: "acme" }), "f", {
          overrides: { "auth0.domain": "acme.eu.auth0.com" },
        }),
      ),
    ).toEqual([expect.stringMatching(/^auth0: /)]);
  });
});
