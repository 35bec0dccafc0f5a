import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Executor } from '@graphql-tools/utils';
import { getOperationAST } from 'graphql';
import { clientAuthorization } from '../auth.ts';
import { isAsyncIterable } from '../iterators.ts';
import { withTraceparent } from '../tracing.ts';
import { failureResult, guardedSubscription, oversizedSubscription, upstreamLane } from '../upstream-subscriptions.ts';

/** What this plugin puts on the context: read below, and by the transport's `connectionParams` template. */
export interface UpstreamContext {
  /** The client's Authorization value (clientAuthorization). */
  forwardedAuthorization?: string;
  /** The shared upstream connection its subscriptions use (upstreamLane). */
  upstreamLane: string;
}

/**
 * - Puts the client's Authorization value (payload or header, see clientAuthorization) on the
 *   context as `forwardedAuthorization`, and its lane (upstreamLane) as `upstreamLane`, which the
 *   WebSocket transport's `connectionParams` template (subscriptionsOverWebSocket) reads.
 * - Gives each subscription sent to a subgraph its client's token as `extensions.authorization`:
 *   clients share the upstream connections, so the token goes with the subscription, not with the
 *   connection (the subgraph verifies it per subscription, with the decoder it uses for HTTP).
 * - propagateHeaders keeps the headers it adds in the subgraph request's `extensions.headers`; the
 *   HTTP executor turns them into headers, but the WebSocket executor would send them as they are
 *   in the `subscribe` message, so they are dropped there.
 * - Refuses a subscription too large for a subgraph's message buffer (oversizedSubscription), and
 *   turns a subgraph that went away, or closed the shared connection, into an error that tells the
 *   client to resume with `after` (upstream-subscriptions.ts). The transport copies an
 *   `extensions.connectionParams` into the lane's `connection_init`: client extensions are never passed
 *   on here.
 */
export const useSubscriptionAuthorization = (upstreamConnections: number): GatewayPlugin<UpstreamContext> => ({
  onContextBuilding({ context, extendContext }) {
    const authorization = clientAuthorization(context, context.request);
    extendContext({
      forwardedAuthorization: authorization,
      upstreamLane: upstreamLane(authorization, upstreamConnections),
    });
  },
  onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
    const operationType =
      executionRequest.operationType ??
      getOperationAST(executionRequest.document, executionRequest.operationName)?.operation;
    if (operationType !== 'subscription') return;
    const { headers: _dropped, ...extensions } = executionRequest.extensions ?? {};
    const authorization = executionRequest.context?.forwardedAuthorization;
    // Traced, the subscription's trace context goes with it too, as each event's comes back (tracing.ts).
    executionRequest.extensions = withTraceparent(authorization ? { ...extensions, authorization } : extensions, executionRequest);
    const guarded = async (request: Parameters<Executor>[0]) => {
      const tooLarge = oversizedSubscription(request);
      if (tooLarge) return tooLarge;
      try {
        const result = await executor(request);
        return isAsyncIterable(result) ? guardedSubscription(result, subgraphName, request.context) : result;
      } catch (err) {
        return failureResult(err, subgraphName, request.context);
      }
    };
    // Executors are generic in the result's data, which no function of a fixed type is; hence the cast.
    setExecutor(guarded as Executor);
  },
});
