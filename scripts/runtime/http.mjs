/**
 * The two loopback issuers' (issuer.mjs, spa-issuer.mjs) answers and request bodies: no caching
 * (each answer is for one test's request), and the length given, so a client never waits.
 */

/** Sends `body` (a string) as `type` in UTF-8. */
export function send(res, status, type, body) {
  res.writeHead(status, {
    "content-type": `${type}; charset=utf-8`,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

export function sendJson(res, status, body) {
  send(res, status, "application/json", JSON.stringify(body));
}

/** The whole request body, as UTF-8 text. */
export async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
