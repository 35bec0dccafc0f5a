// Hive Gateway configuration, loaded by `hive-gateway supergraph` from the current directory
// (`npm start` in gateway/). Every setting comes from the environment; see README.md "Configuration".
//
//   GATEWAY_PORT   port for HTTP, WebSocket (graphql-transport-ws) and SSE, all on /graphql (4000)
//   SUPERGRAPH     composed supergraph file (../schema/supergraph.graphql, next to this file)
//   USERS_URL      users subgraph   (http://localhost:${USERS_PORT:-8081}/graphql)
//   ORDERS_URL     orders subgraph  (http://localhost:${ORDERS_PORT:-8082}/graphql)
//   CORS_ORIGINS   comma-separated allowed origins; `scheme://host:*` allows any port of that host
//   MAX_DEPTH      maximum operation depth (12)
//   MAX_TOKENS     maximum operation size in GraphQL tokens (2000)
//   MAX_REQUEST_BYTES  largest request body accepted, in bytes (102400); larger ones get a 413
//   NODE_ENV       `production`: no introspection, no field suggestions, no GraphiQL, and no
//                  cross-origin access unless CORS_ORIGINS is set
//   LOG_LEVEL      debug | info | warn | error (info)
// Health: /healthcheck (the process serves) and /readiness (the supergraph is loaded); metrics: /metrics.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type GatewayPlugin } from '@graphql-hive/gateway';
import {
  GraphQLError,
  GraphQLSchema,
  Kind,
  getOperationAST,
  parse,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';

const env = process.env;
const production = env.NODE_ENV === 'production';
const here = dirname(fileURLToPath(import.meta.url));

function positiveInt(name: string, fallback: number): number {
  const raw = env[name];
  if (raw == null || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

const port = positiveInt('GATEWAY_PORT', 4000);
const supergraph = env.SUPERGRAPH ? resolve(env.SUPERGRAPH) : resolve(here, '../schema/supergraph.graphql');
const usersUrl = env.USERS_URL || `http://localhost:${env.USERS_PORT || 8081}/graphql`;
const ordersUrl = env.ORDERS_URL || `http://localhost:${env.ORDERS_PORT || 8082}/graphql`;

// ---------------------------------------------------------------------------------------------
// CORS: an allow-list, never `*`. An entry is an exact origin (`https://app.example.com`) or
// `scheme://host:*` for any port of that host (including none).
// ---------------------------------------------------------------------------------------------
const DEV_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'https://studio.apollographql.com'];

type OriginRule = { exact: string } | { protocol: string; hostname: string };

function parseOriginRule(entry: string): OriginRule {
  if (entry === '*' || entry.includes('*') && !entry.endsWith(':*')) {
    throw new Error(`CORS_ORIGINS: "${entry}" is not allowed; list origins, or scheme://host:* for any port`);
  }
  if (entry.endsWith(':*')) {
    const url = new URL(entry.slice(0, -2));
    return { protocol: url.protocol, hostname: url.hostname };
  }
  return { exact: new URL(entry).origin };
}

const originRules: OriginRule[] = (
  env.CORS_ORIGINS != null && env.CORS_ORIGINS.trim() !== ''
    ? env.CORS_ORIGINS.split(',')
    : production
      ? []
      : DEV_ORIGINS
)
  .map((entry) => entry.trim().replace(/\/+$/, ''))
  .filter(Boolean)
  .map(parseOriginRule);

function originAllowed(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return originRules.some((rule) =>
    'exact' in rule
      ? rule.exact === url.origin
      : rule.protocol === url.protocol && rule.hostname === url.hostname,
  );
}

// ---------------------------------------------------------------------------------------------
// Authorization forwarding.
// HTTP clients send an `Authorization` header. WebSocket clients send it in the graphql-ws
// `connection_init` payload, whose keys keep the client's casing, so both `Authorization` and
// `authorization` are read there (the payload wins over a header on the upgrade request).
// ---------------------------------------------------------------------------------------------
function clientAuthorization(context: any, request?: Request): string | undefined {
  const params = context?.connectionParams;
  if (params && typeof params === 'object') {
    const value = params.Authorization ?? params.authorization;
    if (typeof value === 'string' && value !== '') return value;
  }
  return request?.headers.get('authorization') || undefined;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  value != null && typeof (value as any)[Symbol.asyncIterator] === 'function';

/** A WebSocket close event as graphql-ws hands it out when a subgraph closes or refuses the socket. */
function isCloseEvent(value: unknown): value is { code: number; reason?: string } {
  return (
    typeof value === 'object' && value !== null && !(value instanceof Error) &&
    typeof (value as any).code === 'number' && 'reason' in value
  );
}

/**
 * A subgraph that refuses a subscription's WebSocket (4401 Unauthorized / 4403 Forbidden at
 * connection_init) makes graphql-ws reject with a bare close event, which the gateway would turn
 * into an error without a message. Turn it into a GraphQL error with a code instead, and close a
 * WebSocket client's own connection with the same code, as the subgraph would have.
 */
function upstreamCloseResult(event: { code: number; reason?: string }, subgraphName: string, context: any) {
  const reason = event.reason ? ` ${event.reason}` : '';
  const code = event.code === 4401 ? 'UNAUTHENTICATED' : event.code === 4403 ? 'FORBIDDEN' : 'DOWNSTREAM_SERVICE_ERROR';
  const socket = context?.socket;
  if ((event.code === 4401 || event.code === 4403) && socket && typeof socket.close === 'function') {
    // Late enough for the error below to reach the client first.
    setTimeout(() => socket.close(event.code, event.reason || undefined), 100).unref?.();
  }
  return {
    errors: [
      new GraphQLError(`The ${subgraphName} subgraph closed the subscription's WebSocket (${event.code}${reason}).`, {
        extensions: { code },
      }),
    ],
  };
}

async function* guardSubscription(source: AsyncIterable<any>, subgraphName: string, context: any) {
  try {
    yield* source;
  } catch (err) {
    if (!isCloseEvent(err)) throw err;
    yield upstreamCloseResult(err, subgraphName, context);
  }
}

/**
 * - Puts the client's Authorization value (payload or header, see clientAuthorization) on the
 *   context as `forwardedAuthorization`, where the WebSocket transport's `connectionParams`
 *   template below reads it.
 * - propagateHeaders keeps the headers it adds in the subgraph request's `extensions.headers`; the
 *   HTTP executor turns them into headers, but the WebSocket executor would send them as they are
 *   in the `subscribe` message. Subscriptions go over WebSocket (the token is in connection_init),
 *   so they are dropped there.
 * - Maps a subgraph's refusal of a subscription WebSocket to a clear error (see above).
 */
const useSubscriptionAuthorization = (): GatewayPlugin => ({
  onContextBuilding({ context, extendContext }) {
    extendContext({ forwardedAuthorization: clientAuthorization(context, (context as any).request) } as any);
  },
  onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
    const operationType =
      executionRequest.operationType ??
      getOperationAST(executionRequest.document, executionRequest.operationName)?.operation;
    if (operationType !== 'subscription') return;
    const extensions = executionRequest.extensions;
    if (extensions && 'headers' in extensions) {
      const { headers: _dropped, ...rest } = extensions;
      executionRequest.extensions = rest;
    }
    setExecutor(async (request) => {
      try {
        const result = await executor(request);
        return isAsyncIterable(result) ? guardSubscription(result, subgraphName, request.context) : result;
      } catch (err) {
        if (!isCloseEvent(err)) throw err;
        return upstreamCloseResult(err, subgraphName, request.context);
      }
    });
  },
});

/**
 * Refuses a request whose declared body is larger than MAX_REQUEST_BYTES before reading it: the
 * token limit does not catch a single 1 MB string, and no operation of this API needs such a body.
 */
const useRequestSizeLimit = (maxBytes: number): GatewayPlugin => ({
  onRequest({ request, endResponse, fetchAPI }) {
    const length = Number(request.headers.get('content-length') ?? 0);
    if (length > maxBytes) {
      const body = {
        errors: [{
          message: `The request body is ${length} bytes; at most ${maxBytes} are accepted.`,
          extensions: { code: 'REQUEST_TOO_LARGE' },
        }],
      };
      endResponse(new fetchAPI.Response(JSON.stringify(body), {
        status: 413,
        headers: { 'content-type': 'application/json' },
      }));
    }
  },
});

/**
 * Which subgraph owns each root mutation field, from the supergraph's `@join__field(graph:)`.
 */
function mutationFieldOwners(supergraphPath: string): Map<string, string> {
  const owners = new Map<string, string>();
  const document = parse(readFileSync(supergraphPath, 'utf8'));
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Mutation') continue;
    for (const field of definition.fields ?? []) {
      const join = field.directives?.find((d) => d.name.value === 'join__field');
      const graph = join?.arguments?.find((a) => a.name.value === 'graph')?.value;
      if (graph?.kind === Kind.ENUM) owners.set(field.name.value, graph.value);
    }
  }
  return owners;
}

/**
 * Atomic requests through the gateway. graphql-js runs mutation fields one after another, so the
 * gateway would send each root field to its subgraph in a request of its own, and a subgraph's
 * atomic mutations (one transaction per request) would cover one field at a time. When every root
 * field of a mutation belongs to the same subgraph, this runs them side by side instead: the
 * gateway's batching executor then merges them, in order, into ONE mutation request to that
 * subgraph, which runs them one after another in one transaction. Nothing changes for the client:
 * the subgraph still executes the fields serially. A mutation spanning subgraphs keeps the
 * serial, one-request-per-field execution (documented as atomic within each subgraph only).
 */
const useSingleSubgraphMutationBatching = (supergraphPath: string): GatewayPlugin => {
  // Read again when the supergraph file changes (the gateway reloads it too).
  let read = { modified: -1, owners: new Map<string, string>() };
  const ownersNow = () => {
    const modified = statSync(supergraphPath).mtimeMs;
    if (modified !== read.modified) read = { modified, owners: mutationFieldOwners(supergraphPath) };
    return read.owners;
  };
  const asQueryRoot = new WeakMap<GraphQLSchema, GraphQLSchema>();
  return {
    onExecute({ args, setExecuteFn, executeFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const selections = operation.selectionSet.selections;
      if (selections.length < 2 || selections.some((s) => s.kind !== Kind.FIELD)) return;
      const owners = ownersNow();
      const graphs = new Set(selections.map((s) => (s.kind === Kind.FIELD ? owners.get(s.name.value) : undefined)));
      if (graphs.size !== 1 || graphs.has(undefined)) return;
      const mutationType = args.schema.getMutationType();
      if (!mutationType) return;
      let schema = asQueryRoot.get(args.schema);
      if (!schema) {
        // The same types and resolvers, with Mutation as the root that executes fields in parallel.
        schema = new GraphQLSchema({ ...args.schema.toConfig(), query: mutationType, mutation: undefined, subscription: undefined });
        asQueryRoot.set(args.schema, schema);
      }
      const parallel: OperationDefinitionNode = { ...operation, operation: 'query' as OperationDefinitionNode['operation'] };
      const document: DocumentNode = {
        ...args.document,
        definitions: args.document.definitions.map((d) => (d === operation ? parallel : d)),
      };
      const derived = schema;
      setExecuteFn((executeArgs) => executeFn({ ...executeArgs, schema: derived, document }));
    },
  };
};

/** The CORS answer depends on the request's Origin: tell caches so. */
const useVaryOrigin = (): GatewayPlugin => ({
  onResponse({ response }) {
    response.headers.append('Vary', 'Origin');
  },
});

/**
 * Subscriptions go to the subgraph over graphql-transport-ws (not SSE). The connection_init payload
 * carries the client's token as `Authorization`; an empty value is left out. The WebSocket executor
 * is shared only between clients whose payload is identical, so each token has its own socket.
 */
const subscriptionsOverWebSocket = (url: string) => ({
  kind: 'ws',
  location: url,
  options: {
    connectionParams: { Authorization: '{context.forwardedAuthorization}' },
  },
});

export const gatewayConfig = defineConfig({
  supergraph,
  port,
  graphqlEndpoint: '/graphql',
  healthCheckEndpoint: '/healthcheck', // 200 while the process serves
  readinessCheckEndpoint: '/readiness', // 200 once the supergraph is loaded

  // Subgraph locations from the environment override the URLs composed into the supergraph.
  transportEntries: {
    users: { location: usersUrl, options: { subscriptions: subscriptionsOverWebSocket(usersUrl) } },
    orders: { location: ordersUrl, options: { subscriptions: subscriptionsOverWebSocket(ordersUrl) } },
  },

  // Queries, mutations and the `_entities` fetches of a subscription go over HTTP with the header.
  propagateHeaders: {
    fromClientToSubgraphs({ request, context }) {
      const authorization = clientAuthorization(context, request);
      return authorization ? { authorization } : {};
    },
  },

  cors(request: Request) {
    const origin = request.headers.get('origin');
    if (!origin || !originAllowed(origin)) return false; // no CORS headers: the browser blocks it
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Accept',
        'Apollo-Require-Preflight',
        'X-Apollo-Operation-Name',
        'Apollographql-Client-Name',
        'Apollographql-Client-Version',
        'X-Request-Id',
      ],
      maxAge: 600,
    };
  },

  // Operation limits (graphql-armor, built into Hive Gateway); both reject before any subgraph call.
  maxDepth: positiveInt('MAX_DEPTH', 12),
  maxTokens: positiveInt('MAX_TOKENS', 2000),
  blockFieldSuggestions: production,
  disableIntrospection: production ? {} : undefined, // an options object turns it on
  graphiql: !production,
  landingPage: !production,

  // Prometheus metrics on /metrics: request and subgraph-call durations and errors, per subgraph and,
  // in development, per operation name. Names come from clients, so production leaves them out (an
  // unbounded label); the subgraphs keep per-operation timings with a cap. Serve /metrics to the
  // scraper only (internal network), not through the public load balancer.
  prometheus: { metrics: true, labels: { operationName: !production } },

  logging: (env.LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) || 'info',

  plugins: () => [
    useRequestSizeLimit(positiveInt('MAX_REQUEST_BYTES', 102400)),
    useSingleSubgraphMutationBatching(supergraph),
    useSubscriptionAuthorization(),
    useVaryOrigin(),
  ],
});
