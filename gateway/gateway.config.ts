// Hive Gateway configuration, loaded by `hive-gateway supergraph` from the current directory
// (`npm start` in gateway/). Every setting comes from the environment (src/environment.ts; README.md
// "Configuration"); each customisation is a plugin of its own under src/plugins/, tested in test/, and
// src/plugin-chain.ts puts them in order.
// Health: /healthcheck (the process serves) and /readiness (the supergraph is loaded); metrics: /metrics.
import { defineConfig } from '@graphql-hive/gateway';
import { clientAuthorization } from './src/auth.ts';
import { corsFor } from './src/cors.ts';
import { readSettings } from './src/environment.ts';
import { pluginChain } from './src/plugin-chain.ts';
import { setUpTracing } from './src/tracing.ts';
import type { SharingStats } from './src/plugins/shared-subscriptions.ts';
import { unifiedGraphHandler } from './src/unified-graph.ts';
import { subscriptionsOverWebSocket } from './src/upstream-subscriptions.ts';
import { limitWebSocketMessages } from './src/websocket-limits.ts';

const settings = readSettings();
const sharing: SharingStats = { consumers: 0, streams: 0 };

// One size limit for HTTP bodies and WebSocket messages; before the CLI makes its WebSocket server.
limitWebSocketMessages(settings.maxRequestBytes);

export const gatewayConfig = defineConfig({
  supergraph: settings.supergraph,
  // Queries and mutations through Hive Router's planner, subscriptions through the default delegation.
  unifiedGraphHandler,
  port: settings.port,
  graphqlEndpoint: '/graphql',
  healthCheckEndpoint: '/healthcheck', // 200 while the process serves
  readinessCheckEndpoint: '/readiness', // 200 once the supergraph is loaded

  // Subgraph locations from the environment override the URLs composed into the supergraph.
  transportEntries: {
    users: { location: settings.usersUrl, options: { subscriptions: subscriptionsOverWebSocket(settings.usersUrl) } },
    orders: { location: settings.ordersUrl, options: { subscriptions: subscriptionsOverWebSocket(settings.ordersUrl) } },
  },

  // Queries, mutations and the `_entities` fetches of a subscription go over HTTP with the header.
  propagateHeaders: {
    fromClientToSubgraphs({ request, context }) {
      const authorization = clientAuthorization(context, request);
      return authorization ? { authorization } : {};
    },
  },

  cors: corsFor(settings.corsOrigins),

  // Operation limits: src/plugins/operation-limits.ts (depth and tokens with graphql-armor, as Hive
  // Gateway's maxDepth/maxTokens options would run it, but with a code on each refusal).
  blockFieldSuggestions: settings.production,
  disableIntrospection: settings.production ? {} : undefined, // an options object turns it on
  graphiql: !settings.production,
  landingPage: !settings.production,

  // Prometheus metrics on /metrics: request and subgraph-call durations and errors, per subgraph and,
  // in development, per operation name. Names come from clients, so production leaves them out (an
  // unbounded label); the subgraphs keep per-operation timings with a cap. Serve /metrics to the
  // scraper only (internal network), not through the public load balancer.
  prometheus: { metrics: true, labels: { operationName: !settings.production } },

  // OpenTelemetry traces (Hive Gateway's plugin: HTTP, parse/validate/execute, each subgraph call, with
  // `traceparent` to the subgraphs), off unless OTEL_TRACES_EXPORTER is set: src/tracing.ts.
  openTelemetry: await setUpTracing(process.env, settings.logLevel),

  logging: settings.logLevel,

  // In their order, each position explained: src/plugin-chain.ts.
  plugins: () => pluginChain(settings, sharing).map(({ plugin }) => plugin),
});
