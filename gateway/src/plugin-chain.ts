// The gateway's plugins, in the order they must run. Order matters where two plugins use the same hook:
// Envelop runs each hook in list order, a plugin that sets a subscribe function wraps the one set before
// it (so a later plugin's wrapper sees each client, an earlier one's the subgraph's stream), and a
// refusal with setResultAndStopExecution skips every later plugin's hook. test/plugin-chain.test.ts
// checks the constraints given below.
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Settings } from './environment.ts';
import { type BatchBudget, useBatchedChangeStream, usePacedCostlyStreams } from './plugins/batched-change-stream.ts';
import { useEntityCache } from './plugins/entity-cache.ts';
import { estimateCost, useOperationCost } from './plugins/operation-cost.ts';
import { useAliasLimit, useDepthLimit, useMutationFieldLimit, useTokenLimit } from './plugins/operation-limits.ts';
import { useRequestSizeLimit } from './plugins/request-size-limit.ts';
import { useSharedSubscriptions, type SharingStats } from './plugins/shared-subscriptions.ts';
import { useSubgraphOperationNames } from './plugins/subgraph-operation-names.ts';
import { useSubscriptionAuthorization } from './plugins/subscription-authorization.ts';
import { useSubscriptionLimits } from './plugins/subscription-limits.ts';
import { useServerTiming } from './plugins/server-timing.ts';
import { useSubscriptionMetrics } from './plugins/subscription-metrics.ts';
import { useTokenExpiry } from './plugins/token-expiry.ts';
import { useUpstreamSignature } from './plugins/upstream-signature.ts';
import { useVaryOrigin } from './plugins/vary-origin.ts';
import { useViewerScope } from './plugins/viewer-scope.ts';

/** A plugin and the name the order's constraints refer to it by. */
export interface NamedPlugin {
  name: string;
  plugin: GatewayPlugin;
}

/** Costly subscriptions get smaller batches, paced: plugins/batched-change-stream.ts. */
export function batchBudgetOf(settings: Settings): BatchBudget {
  return {
    budget: settings.subscriptionBatchBudget,
    maxBatch: settings.operationCost.subscriptionMaxBatch,
    costOf: (schema, document, operationName, variables) => estimateCost(schema, document, operationName, variables, settings.operationCost),
  };
}

/**
 * The plugins for `settings`, in order. `sharing` is counted by the shared subscriptions and read by the
 * metrics. Over WebSocket and SSE, operations go through the same hooks as over HTTP (Hive's graphql-ws
 * handler runs yoga.getResultForParams), so every limit below holds on every road. (Yoga refuses
 * mutations over WebSocket outright, BAD_REQUEST: it takes them in POST requests only, and the socket's
 * is a GET.)
 */
export function pluginChain(settings: Settings, sharing: SharingStats): NamedPlugin[] {
  const batchBudget = batchBudgetOf(settings);
  const chain: (NamedPlugin | false)[] = [
    // First: refuses an oversized body before anything reads it.
    { name: 'request-size-limit', plugin: useRequestSizeLimit(settings.maxRequestBytes) },
    // While parsing: the parser stops at the first token past the limit.
    { name: 'token-limit', plugin: useTokenLimit(settings.maxTokens) },
    // These three validate: nothing is executed.
    { name: 'depth-limit', plugin: useDepthLimit(settings.maxDepth) },
    { name: 'alias-limit', plugin: useAliasLimit(settings.maxAliases) },
    { name: 'mutation-field-limit', plugin: useMutationFieldLimit(settings.maxMutationFields) },
    // Verifies the token and puts the viewer's scope on the context, which the plugins below read: a bad
    // token is refused before the operation is priced, shared or sent anywhere.
    { name: 'viewer-scope', plugin: useViewerScope(settings.auth) },
    // Before any subgraph call, and before every subscription plugin: its refusal stops the onSubscribe
    // hooks after it, so a refused subscription is neither counted, shared nor priced again for batches.
    { name: 'operation-cost', plugin: useOperationCost(settings.operationCost) },
    // Rebuilds a subscription's upstream request (its token in extensions) before the plugins below
    // name and sign it.
    { name: 'subscription-authorization', plugin: useSubscriptionAuthorization(settings.subscriptionUpstreamConnections) },
    // Before sharing: paces the subgraph's stream itself, which a shared stream pulls once for all.
    { name: 'paced-costly-streams', plugin: usePacedCostlyStreams(batchBudget) },
    settings.sharedSubscriptions.enabled && {
      name: 'shared-subscriptions',
      plugin: useSharedSubscriptions({ maxQueued: settings.sharedSubscriptions.maxQueued, stats: sharing }),
    },
    // After sharing: subscribers share batches and unroll them each, at their own pace.
    { name: 'batched-change-stream', plugin: useBatchedChangeStream(batchBudget) },
    { name: 'entity-cache', plugin: useEntityCache({ subgraphs: ['users'], ...settings.entityCache }) },
    // After sharing and batching: counts what clients asked for, one place per client subscription.
    { name: 'subscription-limits', plugin: useSubscriptionLimits(settings.subscriptionLimits) },
    // After sharing and the caps: ends each client's own consumer at its token's exp, which gives back
    // its place under the caps and leaves a shared stream to the others.
    { name: 'token-expiry', plugin: useTokenExpiry() },
    // Names the subgraph request before it is signed.
    { name: 'subgraph-operation-names', plugin: useSubgraphOperationNames() },
    { name: 'subscription-metrics', plugin: useSubscriptionMetrics(sharing) },
    { name: 'vary-origin', plugin: useVaryOrigin() },
    settings.serverTiming && { name: 'server-timing', plugin: useServerTiming() },
    // Last: signs the subgraph request as it is sent, after the plugins above changed it.
    settings.hmacSecret ? { name: 'upstream-signature', plugin: useUpstreamSignature(settings.hmacSecret) } : false,
  ];
  return chain.filter((entry): entry is NamedPlugin => entry !== false);
}
