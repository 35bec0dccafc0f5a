import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError, getOperationAST, print } from 'graphql';

/**
 * The client's Authorization value. HTTP clients send an `Authorization` header. WebSocket clients
 * send it in the graphql-ws `connection_init` payload, whose keys keep the client's casing, so both
 * `Authorization` and `authorization` are read there (the payload wins over a header on the upgrade).
 */
export function clientAuthorization(context: any, request?: Request): string | undefined {
  const params = context?.connectionParams;
  if (params && typeof params === 'object') {
    const value = params.Authorization ?? params.authorization;
    if (typeof value === 'string' && value !== '') return value;
  }
  return request?.headers.get('authorization') || undefined;
}

export const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  value != null && typeof (value as any)[Symbol.asyncIterator] === 'function';

/** A WebSocket close event as graphql-ws hands it out when a subgraph closes or refuses the socket. */
function isCloseEvent(value: unknown): value is { code: number; reason?: string } {
  return (
    typeof value === 'object' && value !== null && !(value instanceof Error) &&
    typeof (value as any).code === 'number' && 'reason' in value
  );
}

/**
 * A subscription whose subgraph went away (killed, restarting, unreachable: a dropped socket, a refused
 * connection). The client is told what to do, with Hive's code for a failed subgraph, and nothing of the
 * cause: its text names internal addresses (`connect ECONNREFUSED 10.0.3.7:8082`). The cause is logged.
 */
export function interruptedResult(cause: unknown, subgraphName: string, context?: any) {
  context?.log?.warn?.({ cause: describe(cause), subgraph: subgraphName }, 'A subscription lost its subgraph');
  return {
    errors: [
      new GraphQLError(
        `The ${subgraphName} service is unavailable or restarting. Subscribe again with \`after\` set to the cursor of the last change you received: nothing is lost.`,
        { extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: subgraphName } },
      ),
    ],
  };
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (isCloseEvent(cause)) return `WebSocket closed ${cause.code}${cause.reason ? ` ${cause.reason}` : ''}`;
  const message = (cause as any)?.message ?? (cause as any)?.error?.message;
  return typeof message === 'string' ? message : String(cause);
}

/**
 * A subgraph that ends a subscription with a graphql-ws `error` message (SLOW_CONSUMER,
 * CURSOR_EXPIRED) makes the client reject with the message's array of errors, which is no Error: the
 * gateway would mask it as "Unexpected error." and the code a client resumes by would be lost. Pass
 * the errors on as a result instead, code and message kept.
 */
export function upstreamErrorsResult(errors: unknown): { errors: GraphQLError[] } | null {
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e?.message === 'string')) return null;
  return {
    errors: errors.map((e) => new GraphQLError(e.message, { extensions: e.extensions ?? {} })),
  };
}

/** What a subscription's client is sent when its subgraph fails it: the subgraph's error message, or the subgraph gone. */
function failureResult(err: unknown, subgraphName: string, context: any) {
  return upstreamErrorsResult(err) ?? interruptedResult(err, subgraphName, context);
}

/**
 * The subgraph's results, with a failure turned into a result (failureResult). Not an
 * async generator: a generator's `return()` waits for the pending `next()`, i.e. for the next event,
 * so a client that leaves would hold the subgraph's subscription open; this one passes it on at once.
 */
function guardSubscription(source: AsyncIterable<any>, subgraphName: string, context: any): AsyncIterableIterator<any> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  return {
    async next() {
      if (finished) return { value: undefined, done: true };
      try {
        const result = await iterator.next();
        if (result.done) finished = true;
        return result;
      } catch (err) {
        finished = true;
        return { value: failureResult(err, subgraphName, context), done: false };
      }
    },
    async return() {
      finished = true;
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * The largest `subscribe` message a subgraph takes (Tomcat's default text message buffer, 8,192
 * characters, which the services leave as it is), less room for the message's envelope. A larger one would make the subgraph close the
 * whole connection (1009), and with it every other client's subscriptions on that shared lane.
 */
export const MAX_UPSTREAM_SUBSCRIBE_CHARS = 8_000;

/** `BAD_USER_INPUT` for a subscription whose upstream request would not fit a subgraph's message buffer, else null. */
export function oversizedSubscription(request: { document: any; variables?: unknown; operationName?: string; extensions?: unknown }) {
  const size = JSON.stringify({
    query: print(request.document),
    variables: request.variables,
    operationName: request.operationName,
    extensions: request.extensions,
  }).length;
  if (size <= MAX_UPSTREAM_SUBSCRIBE_CHARS) return null;
  return {
    errors: [
      new GraphQLError(`The subscription is too large (${size} characters with its variables; at most ${MAX_UPSTREAM_SUBSCRIBE_CHARS}). Send a smaller one.`, {
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ],
  };
}

/**
 * Which of `connections` shared upstream WebSocket connections a client's subscriptions use: a stable
 * hash of its Authorization value (FNV-1a), so one viewer's subscriptions stay together and viewers
 * spread evenly. A string, as the transport's `connectionParams` template takes it.
 */
export function upstreamLane(authorization: string | undefined, connections: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < (authorization ?? '').length; i++) {
    hash = Math.imul(hash ^ authorization!.charCodeAt(i), 0x01000193);
  }
  return String((hash >>> 0) % Math.max(1, connections));
}

/**
 * - Puts the client's Authorization value (payload or header, see clientAuthorization) on the
 *   context as `forwardedAuthorization`, and its lane (upstreamLane) as `upstreamLane`, which the
 *   WebSocket transport's `connectionParams` template below reads.
 * - Gives each subscription sent to a subgraph its client's token as `extensions.authorization`:
 *   clients share the upstream connections, so the token goes with the subscription, not with the
 *   connection (the subgraph verifies it per subscription, with the decoder it uses for HTTP).
 * - propagateHeaders keeps the headers it adds in the subgraph request's `extensions.headers`; the
 *   HTTP executor turns them into headers, but the WebSocket executor would send them as they are
 *   in the `subscribe` message, so they are dropped there.
 * - Refuses a subscription too large for a subgraph's message buffer (oversizedSubscription), and
 *   turns a subgraph that went away, or closed the shared connection, into an error that tells the
 *   client to resume with `after` (see above). The transport copies an `extensions.connectionParams`
 *   into the lane's `connection_init`: client extensions are never passed on here.
 */
export const useSubscriptionAuthorization = (upstreamConnections: number): GatewayPlugin => ({
  onContextBuilding({ context, extendContext }) {
    const authorization = clientAuthorization(context, (context as any).request);
    extendContext({
      forwardedAuthorization: authorization,
      upstreamLane: upstreamLane(authorization, upstreamConnections),
    } as any);
  },
  onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
    const operationType =
      executionRequest.operationType ??
      getOperationAST(executionRequest.document, executionRequest.operationName)?.operation;
    if (operationType !== 'subscription') return;
    const { headers: _dropped, ...extensions } = executionRequest.extensions ?? {};
    const authorization = (executionRequest.context as any)?.forwardedAuthorization;
    executionRequest.extensions = authorization ? { ...extensions, authorization } : extensions;
    setExecutor(async (request) => {
      const tooLarge = oversizedSubscription(request);
      if (tooLarge) return tooLarge;
      try {
        const result = await executor(request);
        return isAsyncIterable(result) ? guardSubscription(result, subgraphName, request.context) : result;
      } catch (err) {
        return failureResult(err, subgraphName, request.context);
      }
    });
  },
});

/**
 * Subscriptions go to the subgraph over graphql-transport-ws (not SSE). The transport keeps one
 * connection per distinct `connectionParams`; these hold only the lane, so all clients share a few
 * connections instead of one each (a subgraph connection costs ~90 KiB of the subgraph's heap, a
 * subscription on a shared one 12-19 KiB). The token travels with each subscription (above).
 */
export const subscriptionsOverWebSocket = (url: string) => ({
  kind: 'ws',
  location: url,
  options: {
    connectionParams: { lane: '{context.upstreamLane}' },
  },
});
