// Hive Gateway configuration, loaded by `hive-gateway supergraph` from the current directory
// (`npm start` in gateway/). Every setting comes from the environment (src/environment.ts; README.md
// "Configuration"); each customisation is a plugin of its own under src/plugins/, tested in test/.
// Health: /healthcheck (the process serves) and /readiness (the supergraph is loaded); metrics: /metrics.
import { defineConfig } from '@graphql-hive/gateway';
import { corsFor } from './src/cors.ts';
import { unifiedGraphHandler } from './src/unified-graph.ts';
import { readSettings } from './src/environment.ts';
import { type BatchBudget, useBatchedChangeStream, usePacedCostlyStreams } from './src/plugins/batched-change-stream.ts';
import { useEntityCache } from './src/plugins/entity-cache.ts';
import { estimateCost, useOperationCost } from './src/plugins/operation-cost.ts';
import { useAliasLimit, useDepthLimit, useMutationFieldLimit, useTokenLimit } from './src/plugins/operation-limits.ts';
import { useRequestSizeLimit } from './src/plugins/request-size-limit.ts';
import { useSharedSubscriptions, type SharingStats } from './src/plugins/shared-subscriptions.ts';
import {
  clientAuthorization,
  subscriptionsOverWebSocket,
  useSubscriptionAuthorization,
} from './src/plugins/subscription-authorization.ts';
import { useSubgraphOperationNames } from './src/plugins/subgraph-operation-names.ts';
import { useSubscriptionLimits } from './src/plugins/subscription-limits.ts';
import { useSubscriptionMetrics } from './src/plugins/subscription-metrics.ts';
import { useTokenExpiry } from './src/plugins/token-expiry.ts';
import { useUpstreamSignature } from './src/plugins/upstream-signature.ts';
import { useVaryOrigin } from './src/plugins/vary-origin.ts';
import { useViewerScope } from './src/plugins/viewer-scope.ts';
import { limitWebSocketMessages } from './src/websocket-limits.ts';

const settings = readSettings();
/** Costly subscriptions get smaller batches, paced: src/plugins/batched-change-stream.ts. */
const batchBudget: BatchBudget = {
  budget: settings.subscriptionBatchBudget,
  maxBatch: settings.operationCost.subscriptionMaxBatch,
  costOf: (schema, document, operationName, variables) => estimateCost(schema, document, operationName, variables, settings.operationCost),
};
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

  logging: settings.logLevel,

  // Over WebSocket and SSE, operations go through the same hooks as over HTTP (Hive's graphql-ws handler
  // runs yoga.getResultForParams), so every limit below holds on every road. (Yoga refuses mutations over
  // WebSocket outright, BAD_REQUEST: it takes them in POST requests only, and the socket's is a GET.)
  plugins: () => [
    useRequestSizeLimit(settings.maxRequestBytes),
    useTokenLimit(settings.maxTokens), // while parsing
    useDepthLimit(settings.maxDepth), // these three validate: nothing is executed
    useAliasLimit(settings.maxAliases),
    useMutationFieldLimit(settings.maxMutationFields),
    useViewerScope(settings.auth),
    useOperationCost(settings.operationCost), // before any subgraph call
    useSubscriptionAuthorization(settings.subscriptionUpstreamConnections),
    usePacedCostlyStreams(batchBudget), // before sharing: paces the subgraph's stream itself
    ...(settings.sharedSubscriptions.enabled
      ? [useSharedSubscriptions({ maxQueued: settings.sharedSubscriptions.maxQueued, stats: sharing })]
      : []),
    useBatchedChangeStream(batchBudget), // after sharing: subscribers share batches and unroll them each
    useEntityCache({ subgraphs: ['users'], ...settings.entityCache }),
    useSubscriptionLimits(settings.subscriptionLimits), // after the others: counts what clients asked for
    useTokenExpiry(), // after sharing and the caps: ends each client's own consumer at its token's exp
    useSubgraphOperationNames(),
    useSubscriptionMetrics(sharing),
    useVaryOrigin(),
    // Last: signs the subgraph request as it is sent, after the plugins above changed it.
    ...(settings.hmacSecret ? [useUpstreamSignature(settings.hmacSecret)] : []),
  ],
});
