// The signed-in viewer's token, kept in sessionStorage so a reload stays signed in.
const KEY = 'ordergraph.token';

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

export function loadToken() {
  const token = sessionStorage.getItem(KEY);
  if (token && claimsOf(token) && msUntilExpiry(token) > 0) return token;
  sessionStorage.removeItem(KEY);
  return null;
}

export function saveToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
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

/** Asks the page's own server for a development token. */
export async function fetchDevToken(userId, staff) {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId, staff }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(body.error || `The server answered ${response.status}.`);
  }
  return body.token;
}
