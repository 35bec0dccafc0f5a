// Every setting of the gateway, read once from the environment; see README.md "Configuration".
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The development secret, used when AUTH_JWT_SECRET is unset and refused in production. Defined once, in
 * schema/dev-jwt-secret, which the services (a classpath resource), the web server and `make token` read
 * too (the image keeps the repository's layout: gateway/Dockerfile copies it).
 */
export const DEV_JWT_SECRET = readFileSync(new URL('../../schema/dev-jwt-secret', import.meta.url), 'utf8').trim();

const DEV_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'https://studio.apollographql.com'];

export interface Settings {
  port: number;
  supergraph: string;
  usersUrl: string;
  ordersUrl: string;
  /** NODE_ENV=production: no introspection, suggestions, GraphiQL; no cross-origin access unless listed. */
  production: boolean;
  corsOrigins: string[];
  /** Refusal limits on an operation's shape, each with its own code (src/plugins/operation-limits.ts). */
  maxDepth: number;
  maxTokens: number;
  maxAliases: number;
  maxMutationFields: number;
  /** The largest request body, and the largest WebSocket message (src/websocket-limits.ts). */
  maxRequestBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * How tokens are verified: an OpenID issuer's JWKS (RS256) when set, else the HS256 secret; `aud` must
   * name `audience` when it is set; a token without `exp` is refused unless `requireExp` is false.
   */
  auth: { secret: string; issuer?: string; audience?: string; requireExp: boolean };
  /** The secret every upstream request is signed with (HMAC-SHA256); unset only outside production. */
  hmacSecret?: string;
  /** Entity results for subscription events, shared within a viewer scope; ttlMs 0 turns it off. */
  entityCache: { ttlMs: number; maxEntries: number };
  /**
   * The largest estimated cost (objects) an operation may have; the size assumed for a list without
   * `first`; the largest page the services serve; the most changes one batch of a per-change
   * subscription carries (orders-service's ORDERGRAPH_CDC_BATCHMAXCHANGES).
   */
  operationCost: { maxCost: number; defaultListSize: number; maxPageSize: number; subscriptionMaxBatch: number };
  /** Open subscriptions one WebSocket connection, and one viewer across connections, may hold. */
  subscriptionLimits: { perConnection: number; perViewer: number };
  /** Identical subscriptions of one scope share one upstream subscription and one execution per event. */
  sharedSubscriptions: { enabled: boolean; maxQueued: number };
  /** WebSocket connections to each subgraph that all clients' subscriptions share (each carries its token). */
  subscriptionUpstreamConnections: number;
  /** The most objects one batch of a subscription's changes should build at the gateway; heavier selections get smaller batches. */
  subscriptionBatchBudget: number;
  /** Whether HTTP responses carry the gateway's own time and the subgraphs' in `Server-Timing`. */
  serverTiming: boolean;
}

type Env = Record<string, string | undefined>;

export function positiveInt(env: Env, name: string, fallback: number, { allowZero = false } = {}): number {
  const raw = env[name];
  if (raw == null || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw == null || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

export function readSettings(env: Env = process.env, configDir = dirname(dirname(fileURLToPath(import.meta.url)))): Settings {
  const production = env.NODE_ENV === 'production';
  const issuer = env.AUTH_JWT_ISSUER_URI?.trim() || undefined;
  const secret = env.AUTH_JWT_SECRET?.trim() || DEV_JWT_SECRET;
  if (production && !issuer && secret === DEV_JWT_SECRET) {
    throw new Error('NODE_ENV=production needs AUTH_JWT_SECRET (not the development secret) or AUTH_JWT_ISSUER_URI');
  }
  if (!issuer && Buffer.byteLength(secret) < 32) {
    throw new Error('AUTH_JWT_SECRET must be at least 32 bytes (HS256)');
  }
  const hmacSecret = env.GATEWAY_HMAC_SECRET?.trim() || undefined;
  if (production && !hmacSecret) {
    throw new Error('NODE_ENV=production needs GATEWAY_HMAC_SECRET: the subgraphs refuse unsigned requests (e.g. export GATEWAY_HMAC_SECRET=$(openssl rand -hex 32))');
  }
  if (hmacSecret && Buffer.byteLength(hmacSecret) < 32) {
    throw new Error('GATEWAY_HMAC_SECRET must be at least 32 bytes (HMAC-SHA256)');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Settings['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be debug, info, warn or error, got "${env.LOG_LEVEL}"`);
  }
  const cors = env.CORS_ORIGINS != null && env.CORS_ORIGINS.trim() !== ''
    ? env.CORS_ORIGINS.split(',')
    : production ? [] : DEV_ORIGINS;
  return {
    port: positiveInt(env, 'GATEWAY_PORT', 4000),
    supergraph: env.SUPERGRAPH ? resolve(env.SUPERGRAPH) : resolve(configDir, '../schema/supergraph.graphql'),
    usersUrl: env.USERS_URL || `http://localhost:${env.USERS_PORT || 8081}/graphql`,
    ordersUrl: env.ORDERS_URL || `http://localhost:${env.ORDERS_PORT || 8082}/graphql`,
    production,
    corsOrigins: cors.map((entry) => entry.trim().replace(/\/+$/, '')).filter(Boolean),
    maxDepth: positiveInt(env, 'MAX_DEPTH', 12),
    maxTokens: positiveInt(env, 'MAX_TOKENS', 2000),
    maxAliases: positiveInt(env, 'MAX_ALIASES', 30),
    maxMutationFields: positiveInt(env, 'MAX_MUTATION_FIELDS', 25),
    maxRequestBytes: positiveInt(env, 'MAX_REQUEST_BYTES', 102400),
    logLevel,
    auth: {
      secret,
      issuer,
      audience: env.AUTH_JWT_AUDIENCE?.trim() || undefined,
      requireExp: flag(env, 'AUTH_JWT_REQUIRE_EXP', true),
    },
    hmacSecret,
    entityCache: {
      ttlMs: Math.min(positiveInt(env, 'ENTITY_CACHE_TTL_MS', 1000, { allowZero: true }), 1000),
      maxEntries: positiveInt(env, 'ENTITY_CACHE_MAX_ENTRIES', 10000),
    },
    operationCost: {
      maxCost: positiveInt(env, 'MAX_COST', 50000),
      defaultListSize: positiveInt(env, 'DEFAULT_LIST_SIZE', 1000),
      maxPageSize: positiveInt(env, 'MAX_PAGE_SIZE', 100),
      // Must equal orders-service's ORDERGRAPH_CDC_BATCHMAXCHANGES: the largest batch a subscriber can get at once.
      subscriptionMaxBatch: positiveInt(env, 'SUBSCRIPTION_MAX_BATCH', 1000),
    },
    subscriptionLimits: {
      perConnection: positiveInt(env, 'MAX_SUBSCRIPTIONS_PER_CONNECTION', 100),
      perViewer: positiveInt(env, 'MAX_SUBSCRIPTIONS_PER_VIEWER', 1000),
    },
    sharedSubscriptions: {
      enabled: flag(env, 'SHARED_SUBSCRIPTIONS', true),
      maxQueued: positiveInt(env, 'SUBSCRIPTION_MAX_QUEUED', 20000),
    },
    subscriptionUpstreamConnections: positiveInt(env, 'SUBSCRIPTION_UPSTREAM_CONNECTIONS', 8),
    subscriptionBatchBudget: positiveInt(env, 'SUBSCRIPTION_BATCH_BUDGET', 5000),
    serverTiming: flag(env, 'SERVER_TIMING', false),
  };
}
