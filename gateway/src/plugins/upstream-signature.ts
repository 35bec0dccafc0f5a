import { useHmacUpstreamSignature, type GatewayPlugin } from '@graphql-hive/gateway';

/**
 * Signs every request to a subgraph, queries, mutations, entity fetches and subscriptions alike, with
 * HMAC-SHA256 of the canonical JSON (json-stable-stringify) of `{ query, variables }` (variables left out
 * when empty), in `extensions['hmac-signature']` (Hive Gateway's `useHmacUpstreamSignature`). The
 * subgraphs refuse GraphQL that a gateway did not sign, so a client that reaches them directly cannot
 * skip the gateway's limits.
 *
 * Registered last, instead of through the gateway's `hmacSignature` option: that one runs before every
 * plugin of ours, and useSubgraphOperationNames then names the document, so the query the subgraph
 * received would no longer be the one signed. Here the signature is computed over the final document and
 * variables; nothing after it changes them (the transports print the document with the same function,
 * @graphql-tools/executor-common's `defaultPrintFn`). useSubscriptionAuthorization rebuilds a
 * subscription's `extensions` before this runs, so the signature goes out in the WebSocket `subscribe`
 * message's extensions beside the token.
 */
export const useUpstreamSignature = (secret: string): GatewayPlugin => useHmacUpstreamSignature({ secret }) as GatewayPlugin;
