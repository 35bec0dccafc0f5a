// How a subscription reaches its subgraph and how its failures come back: the shared WebSocket lanes, the
// size a subgraph takes, and a subgraph's errors or disappearance turned into results a client can act on.
// useSubscriptionAuthorization (plugins/subscription-authorization.ts) applies them.
import type { ExecutionRequest } from '@graphql-tools/utils';
import { GraphQLError, print, type ExecutionResult } from 'graphql';
import { passOn } from './iterators.ts';
import { eventArrived } from './tracing.ts';

/** Where a failure is logged: the request's context, when it has Hive's logger. */
type LoggingContext = { log?: { warn?: (details: object, message: string) => void } } | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A WebSocket close event as graphql-ws hands it out when a subgraph closes or refuses the socket. */
function isCloseEvent(value: unknown): value is { code: number; reason?: string } {
  return isRecord(value) && !(value instanceof Error) && typeof value.code === 'number' && 'reason' in value;
}

/**
 * A subscription whose subgraph went away (killed, restarting, unreachable: a dropped socket, a refused
 * connection). The client is told what to do, with Hive's code for a failed subgraph, and nothing of the
 * cause: its text names internal addresses (`connect ECONNREFUSED 10.0.3.7:8082`). The cause is logged.
 */
export function interruptedResult(cause: unknown, subgraphName: string, context?: LoggingContext): { errors: GraphQLError[] } {
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
  const nested = isRecord(cause) ? cause.error : undefined;
  const message = (isRecord(cause) ? cause.message : undefined) ?? (isRecord(nested) ? nested.message : undefined);
  return typeof message === 'string' ? message : String(cause);
}

/**
 * A subgraph that ends a subscription with a graphql-ws `error` message (SLOW_CONSUMER,
 * CURSOR_EXPIRED) makes the client reject with the message's array of errors, which is no Error: the
 * gateway would mask it as "Unexpected error." and the code a client resumes by would be lost. Pass
 * the errors on as a result instead, code and message kept.
 */
export function upstreamErrorsResult(errors: unknown): { errors: GraphQLError[] } | null {
  if (!Array.isArray(errors) || errors.length === 0) return null;
  const messages: { message: string; extensions?: unknown }[] = [];
  for (const error of errors) {
    if (!isRecord(error) || typeof error.message !== 'string') return null;
    messages.push({ message: error.message, extensions: error.extensions });
  }
  return {
    errors: messages.map((e) => new GraphQLError(e.message, { extensions: isRecord(e.extensions) ? e.extensions : {} })),
  };
}

/** What a subscription's client is sent when its subgraph fails it: the subgraph's error message, or the subgraph gone. */
export function failureResult(error: unknown, subgraphName: string, context?: LoggingContext): { errors: GraphQLError[] } {
  return upstreamErrorsResult(error) ?? interruptedResult(error, subgraphName, context);
}

/** The subgraph's results, a failure turned into one last result (failureResult); see iterators.ts for return(). */
export function guardedSubscription<T>(source: AsyncIterable<T>, subgraphName: string, context?: LoggingContext): AsyncIterableIterator<T | ExecutionResult> {
  return passOn<T, T | ExecutionResult>(source, {
    async next(pull) {
      const event = await pull();
      if (!event.done) eventArrived(context, event.value); // traced: the event's span starts (tracing.ts)
      return event;
    },
    fail: (error) => failureResult(error, subgraphName, context),
  });
}

/**
 * The largest `subscribe` message a subgraph takes (Tomcat's default text message buffer, 8,192
 * characters, which the services leave as it is), less room for the message's envelope. A larger one would make the subgraph close the
 * whole connection (1009), and with it every other client's subscriptions on that shared lane.
 */
export const MAX_UPSTREAM_SUBSCRIBE_CHARS = 8_000;

/** `BAD_USER_INPUT` for a subscription whose upstream request would not fit a subgraph's message buffer, else null. */
export function oversizedSubscription(request: Pick<ExecutionRequest, 'document' | 'variables' | 'operationName' | 'extensions'>): { errors: GraphQLError[] } | null {
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
  const text = authorization ?? '';
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return String((hash >>> 0) % Math.max(1, connections));
}

/**
 * Subscriptions go to the subgraph over graphql-transport-ws (not SSE). The transport keeps one
 * connection per distinct `connectionParams`; these hold only the lane (the context's `upstreamLane`,
 * set by useSubscriptionAuthorization), so all clients share a few connections instead of one each (a
 * subgraph connection costs ~90 KiB of the subgraph's heap, a subscription on a shared one 12-19 KiB).
 * The token travels with each subscription (plugins/subscription-authorization.ts).
 */
export const subscriptionsOverWebSocket = (url: string) => ({
  kind: 'ws',
  location: url,
  options: {
    connectionParams: { lane: '{context.upstreamLane}' },
  },
});
