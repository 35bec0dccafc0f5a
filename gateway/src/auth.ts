// Who a request is: the one place that reads a client's token (the Authorization header, a WebSocket
// client's connectionParams) and what the gateway made of it (the verified claims, the viewer's scope).
// The token is verified by viewer-scope.ts; everything else reads the result through here.

/**
 * Whose view a request gets: `staff`, or `user:<id>`. Two requests of one scope get the same answer
 * from the subgraphs (they decide visibility by the viewer's id and the staff role only), which is
 * what lets the gateway share entity results and subscriptions between them, and only between them.
 */
export type ViewerScope = 'staff' | `user:${string}`;

/** The context key viewer-scope.ts puts the scope under, once the token is verified. */
export const VIEWER_SCOPE = 'viewerScope';

/** A user id as the services take it: a positive 64-bit integer, in decimal. */
const USER_ID = /^[1-9][0-9]{0,18}$/;
const MAX_USER_ID = 9223372036854775807n;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The client's Authorization value. HTTP clients send an `Authorization` header. WebSocket clients
 * send it in the graphql-ws `connection_init` payload, whose keys keep the client's casing, so both
 * `Authorization` and `authorization` are read there (the payload wins over a header on the upgrade).
 */
export function clientAuthorization(context: unknown, request?: Request): string | undefined {
  const params = isRecord(context) ? context.connectionParams : undefined;
  if (isRecord(params)) {
    const value = params.Authorization ?? params.authorization;
    if (typeof value === 'string' && value !== '') return value;
  }
  return request?.headers.get('authorization') || undefined;
}

/** The bearer token in an Authorization value, or `null` when it is not `Bearer <token>`. */
export function bearerToken(authorization: string): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  return match ? match[1] : null;
}

/** The scope of a verified token's claims, or `null` when they name no user the services know how to read. */
export function scopeOf(claims: Record<string, unknown>): ViewerScope | null {
  const sub = claims.sub;
  if (typeof sub !== 'string' || !USER_ID.test(sub) || BigInt(sub) > MAX_USER_ID) return null;
  const roles = claims.roles;
  return Array.isArray(roles) && roles.includes('staff') ? 'staff' : `user:${sub}`;
}

/**
 * The claims of the token the gateway verified (Hive's JWT plugin, set up by viewer-scope.ts, puts them
 * on the context as `jwt.payload`), or `undefined` when there is no verified token.
 */
export function verifiedClaims(context: unknown): Record<string, unknown> | undefined {
  const jwt = isRecord(context) ? context.jwt : undefined;
  const payload = isRecord(jwt) ? jwt.payload : undefined;
  return isRecord(payload) ? payload : undefined;
}

/** The verified token's `exp` (seconds since the epoch), or `undefined` when it has none (or there is no token). */
export function tokenExpiry(context: unknown): number | undefined {
  const exp = verifiedClaims(context)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}

/** The verified token's subject, the viewer's user id, or `undefined` without a token. */
export function viewerId(context: unknown): string | undefined {
  const sub = verifiedClaims(context)?.sub;
  return typeof sub === 'string' ? sub : undefined;
}

/** The viewer's scope as viewer-scope.ts put it on the context, or `undefined` without a verified token. */
export function viewerScope(context: unknown): ViewerScope | undefined {
  const scope = isRecord(context) ? context[VIEWER_SCOPE] : undefined;
  return typeof scope === 'string' && scope !== '' ? (scope as ViewerScope) : undefined;
}
