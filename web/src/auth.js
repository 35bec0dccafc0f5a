// The signed-in viewer's token, kept in sessionStorage so a reload stays signed in, with where it came
// from: `dev` (this page's development sign-in, which can mint a fresh one for the same identity) or
// `pasted` (from an identity provider; the page cannot renew it, the viewer signs in again).
const KEY = 'ordergraph.token';
const SOURCE_KEY = 'ordergraph.tokenSource';

/** The longest lifetime the development sign-in mints (its default), and the shortest it accepts. */
export const DEV_TOKEN_TTL_MAX_SECONDS = 24 * 60 * 60;
export const DEV_TOKEN_TTL_MIN_SECONDS = 5;
const RENEW_LEAD_MAX_MS = 30_000;

/** The token's claims (not verified: the gateway's services do that), or null. */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** Milliseconds until the token expires (Infinity without `exp`); negative once it has. */
export function msUntilExpiry(token) {
  const exp = claimsOf(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 - Date.now() : Infinity;
}

/**
 * Who the token speaks for: its `sub` and whether it is staff. Two tokens with the same identity see the
 * same orders, so one may replace the other under a live table.
 */
export function identityOf(token) {
  const claims = claimsOf(token);
  if (!claims) return null;
  return `${claims.sub ?? ''}|${isStaff(claims) ? 'staff' : 'viewer'}`;
}

export function isStaff(claims) {
  return Boolean(Array.isArray(claims?.roles) && claims.roles.includes('staff'));
}

/** The token's lifetime in seconds (`exp - iat`), or null when it does not say. */
export function lifetimeSeconds(token) {
  const { iat, exp } = claimsOf(token) ?? {};
  return typeof iat === 'number' && typeof exp === 'number' && exp > iat ? exp - iat : null;
}

/**
 * How long before `exp` to renew: 30 s, or a tenth of the token's lifetime when that is shorter (a
 * 10-minute token is renewed 30 s early, a 60 s one 6 s early).
 */
export function renewalLeadMs(token) {
  const lifetime = lifetimeSeconds(token);
  return lifetime == null ? RENEW_LEAD_MAX_MS : Math.min(RENEW_LEAD_MAX_MS, lifetime * 100);
}

/** `{ token, source }` from sessionStorage (source `dev` or `pasted`), or null when none is valid. */
export function loadToken() {
  const token = sessionStorage.getItem(KEY);
  if (token && claimsOf(token) && msUntilExpiry(token) > 0) {
    return { token, source: sessionStorage.getItem(SOURCE_KEY) === 'dev' ? 'dev' : 'pasted' };
  }
  clearToken();
  return null;
}

export function saveToken(token, source) {
  sessionStorage.setItem(KEY, token);
  sessionStorage.setItem(SOURCE_KEY, source === 'dev' ? 'dev' : 'pasted');
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(SOURCE_KEY);
}

/** A pasted token, with or without `Bearer `; throws when it is not a readable JWT. */
export function parsePastedToken(text) {
  const token = text.trim().replace(/^Bearer\s+/i, '');
  if (token.split('.').length !== 3 || !claimsOf(token)) {
    throw new Error('That is not a JWT (three base64url parts separated by dots).');
  }
  if (msUntilExpiry(token) <= 0) throw new Error('That token has expired.');
  return token;
}

/**
 * Asks the page's own server for a development token; `ttlSeconds` (optional, 5 to 86400) is its
 * lifetime, one day when absent.
 */
export async function fetchDevToken(userId, staff, ttlSeconds = null) {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ttlSeconds == null ? { userId, staff } : { userId, staff, ttlSeconds }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(body.error || `The server answered ${response.status}.`);
  }
  return body.token;
}

/**
 * A development token for the same identity as `token` (its `sub` and staff role) and with the same
 * lifetime (the server's limits apply).
 */
export function renewDevToken(token) {
  const claims = claimsOf(token);
  if (!claims || typeof claims.sub !== 'string') return Promise.reject(new Error('The token names no user.'));
  const lifetime = lifetimeSeconds(token);
  const ttl = lifetime == null
    ? null
    : Math.min(DEV_TOKEN_TTL_MAX_SECONDS, Math.max(DEV_TOKEN_TTL_MIN_SECONDS, Math.round(lifetime)));
  return fetchDevToken(claims.sub, isStaff(claims), ttl);
}
