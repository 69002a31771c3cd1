/**
 * What a converted server must never contain, checked on every expected tree of the whole-app
 * fixtures (auth-security.md §4): no JWT signing secret left anywhere, no ignoreExpiration, no
 * algorithm but RS256, and audience/issuer at the top level of the passport-jwt options (inside
 * jsonWebTokenOptions passport-jwt overwrites them with undefined).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTree } from "./helpers/files";

const APPS = path.resolve(__dirname, "../fixtures/apps");
const trees = fs
  .readdirSync(APPS)
  .filter((name) => fs.existsSync(path.join(APPS, name, "expected")))
  .map((name) => [name, readTree(path.join(APPS, name, "expected"))] as const);

/** Server files only: admin UIs are checked by their own rules. */
function serverFiles(files: Map<string, string>): Array<[string, string]> {
  const servers = [...files.keys()]
    .filter(
      (f) =>
        f.endsWith("package.json") && files.get(f)!.includes('"@nestjs/core"'),
    )
    .map((f) => path.posix.dirname(f));
  return [...files].filter(([file]) =>
    servers.some((root) => file.startsWith(`${root}/`)),
  );
}

test("there are converted trees to check", () => {
  expect(trees.length).toBeGreaterThan(0);
});

describe.each(trees)("converted fixture %s", (_name, files) => {
  const server = serverFiles(files);
  const strategyBases = server.filter(([file]) =>
    file.endsWith("src/auth/jwt/base/jwt.strategy.base.ts"),
  );

  it("keeps no JWT signing secret, secret provider or expiry setting", () => {
    for (const [file, content] of server) {
      expect({
        file,
        found:
          /JWT_SECRET_KEY|secretOrKey\b|JWT_EXPIRATION|jwtSecretFactory/.exec(
            content,
          )?.[0],
      }).toEqual({
        file,
        found: undefined,
      });
    }
  });

  it("never ignores expiration and pins RS256 only", () => {
    for (const [file, content] of server) {
      expect({
        file,
        ignoreExpiration: content.includes("ignoreExpiration"),
      }).toEqual({ file, ignoreExpiration: false });
      for (const match of content.matchAll(/algorithms\s*:\s*(\[[^\]]*\])/g)) {
        expect({ file, algorithms: match[1] }).toEqual({
          file,
          algorithms: '["RS256"]',
        });
      }
    }
  });

  it("verifies Auth0 tokens with audience and issuer at the top level of the options", () => {
    expect(strategyBases.length).toBeGreaterThan(0);
    for (const [file, content] of strategyBases) {
      const options =
        /function strategyOptions[\s\S]*?\n}\n/.exec(content)?.[0] ?? "";
      expect({ file, jwks: options.includes("passportJwtSecret(") }).toEqual({
        file,
        jwks: true,
      });
      const topLevel = options.replace(
        /jsonWebTokenOptions\s*:\s*\{[^}]*\}/,
        "",
      );
      expect(topLevel).toMatch(/^\s+audience,$/m);
      expect(topLevel).toMatch(/^\s+issuer,$/m);
      const inner =
        /jsonWebTokenOptions\s*:\s*\{([^}]*)\}/.exec(options)?.[1] ?? "";
      expect({ file, inner: /audience|issuer|algorithms/.test(inner) }).toEqual(
        { file, inner: false },
      );
      expect(content).toMatch(
        /cache: true,[\s\S]*rateLimit: true,[\s\S]*timeout: \d+/,
      );
      expect(content).toMatch(/typeof payload\.exp !== "number"/);
    }
  });

  it("refuses a typ other than Auth0's two profiles and any crit before the key lookup, requires iat, finds users by email in any case", () => {
    for (const [file, content] of strategyBases) {
      const options =
        /function strategyOptions[\s\S]*?\n}\n/.exec(content)?.[0] ?? "";
      // The key provider checks the header first, then asks the JWKS.
      expect({
        file,
        provider:
          /secretOrKeyProvider: typeof signingKeys = [\s\S]*?if \(!isAccessTokenHeader\(rawJwtToken\)\) \{\s*done\(new Error\([^)]*\)\);\s*return;\s*\}\s*signingKeys\(request, rawJwtToken, done\);/.test(
            options,
          ),
      }).toEqual({ file, provider: true });
      expect(options).toMatch(/^\s+secretOrKeyProvider,$/m);
      const types =
        /const ACCESS_TOKEN_TYPES[^=]*= new Set\((\[[^\]]*\])\)/.exec(
          content,
        )?.[1];
      expect({
        file,
        types: [...(types ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1]),
      }).toEqual({
        file,
        types: ["jwt", "at+jwt", "application/at+jwt"],
      });
      expect(content).toContain('!("crit" in header)');
      expect(content).toMatch(/typeof payload\.iat !== "number"/);
      expect(content).toMatch(
        /payload\.iat > Date\.now\(\) \/ 1000 \+ CLOCK_TOLERANCE_SECONDS/,
      );
      expect(content).toMatch(/await findByEmail\(this\.\w+Service, email\)/);
    }
  });
});
