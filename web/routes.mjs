// The web server's own endpoints, shared by server.mjs (production) and vite.config.js (`npm run dev`):
//
//   GET  /config.json  { graphqlUrl, devSignIn }: where the browser finds the gateway, whether dev sign-in is on
//   GET  /healthz      200 {"status":"UP"}
//   POST /dev/token    { "userId": "1", "staff": false, "ttlSeconds": 60 } -> { "token": "<HS256 JWT>" }, development only.
//                      `ttlSeconds` is optional: the token's lifetime, an integer from 5 to 86400 (the default, one
//                      day); a short one lets a developer or a test watch the page renew its token.
//                      It mints any identity, staff included, so it is on only with the public development
//                      secret (AUTH_JWT_SECRET unset), or with DEV_SIGN_IN=true for a test stack's own secret;
//                      never with NODE_ENV=production or AUTH_JWT_ISSUER_URI. Otherwise 404.
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';

export const TOKEN_TTL_SECONDS = 24 * 60 * 60;
export const MIN_TOKEN_TTL_SECONDS = 5;
const MAX_BODY_BYTES = 4096;

let devSecret;

/**
 * The development secret: schema/dev-jwt-secret, its one definition, which the services, the gateway and
 * scripts/token.sh read too. Read when first needed, so a server that never signs with it (production,
 * an issuer, a secret of its own) does not need the file.
 */
export function devJwtSecret() {
  devSecret ??= readFileSync(new URL('../schema/dev-jwt-secret', import.meta.url), 'utf8').trim();
  return devSecret;
}

/** Reads the settings from an environment (process.env by default). */
export function settingsFrom(env = process.env) {
  const devSignIn =
    env.NODE_ENV !== 'production' &&
    !env.AUTH_JWT_ISSUER_URI &&
    env.DEV_SIGN_IN !== 'false' &&
    (env.DEV_SIGN_IN === 'true' || !env.AUTH_JWT_SECRET || env.AUTH_JWT_SECRET === devJwtSecret());
  return {
    graphqlUrl: env.GATEWAY_PUBLIC_URL || '',
    devSignIn,
    // Only dev sign-in signs: without it the secret is never used.
    secret: new TextEncoder().encode(env.AUTH_JWT_SECRET || (devSignIn ? devJwtSecret() : '')),
  };
}

/** Mints a development token: sub, roles, iat, exp (`ttlSeconds` after iat, one day by default), HS256. */
export function mintToken(secret, userId, staff, ttlSeconds = TOKEN_TTL_SECONDS) {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: staff ? ['staff'] : [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(secret);
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

class BadRequest extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      reject(new BadRequest(415, 'Send the body as application/json.'));
      req.resume();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch {
        reject(new BadRequest(400, 'The body is not valid JSON.'));
      }
    });
    req.on('error', reject);
  });
}

async function devToken(req, res, settings) {
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'Use POST.' }, { Allow: 'POST' });
    return;
  }
  let body;
  try {
    body = await readJson(req);
  } catch (err) {
    sendJson(res, err.status || 400, { error: err.message });
    return;
  }
  const userId = typeof body?.userId === 'number' ? String(body.userId) : body?.userId;
  if (typeof userId !== 'string' || !/^[1-9][0-9]{0,17}$/.test(userId)) {
    sendJson(res, 400, { error: 'userId must be a user\'s numeric database id, e.g. "1".' });
    return;
  }
  if (body.staff != null && typeof body.staff !== 'boolean') {
    sendJson(res, 400, { error: 'staff must be true or false.' });
    return;
  }
  const ttl = body.ttlSeconds;
  if (ttl != null && !(Number.isInteger(ttl) && ttl >= MIN_TOKEN_TTL_SECONDS && ttl <= TOKEN_TTL_SECONDS)) {
    sendJson(res, 400, { error: `ttlSeconds must be a whole number of seconds from ${MIN_TOKEN_TTL_SECONDS} to ${TOKEN_TTL_SECONDS}.` });
    return;
  }
  const token = await mintToken(settings.secret, userId, body.staff === true, ttl ?? TOKEN_TTL_SECONDS);
  sendJson(res, 200, { token });
}

/**
 * A connect-style middleware `(req, res, next)` answering the three endpoints and passing every
 * other request on.
 */
export function createRoutes(env = process.env) {
  const settings = settingsFrom(env);
  return function routes(req, res, next) {
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'UP' });
    } else if (path === '/config.json') {
      sendJson(res, 200, { graphqlUrl: settings.graphqlUrl, devSignIn: settings.devSignIn });
    } else if (path === '/dev/token' && settings.devSignIn) {
      devToken(req, res, settings).catch((err) => {
        console.error('POST /dev/token failed:', err);
        if (!res.headersSent) sendJson(res, 500, { error: 'Could not mint a token.' });
      });
    } else if (path === '/dev/token') {
      sendJson(res, 404, { error: 'Not found.' });
    } else {
      next();
    }
  };
}
