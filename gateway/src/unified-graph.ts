import type { UnifiedGraphHandler } from '@graphql-hive/gateway';
import { unifiedGraphHandler as hiveRouterHandler } from '@graphql-hive/router-runtime';
import { handleFederationSupergraph } from '@graphql-mesh/fusion-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, passOn } from './iterators.ts';
import { eventExecuted } from './tracing.ts';

/**
 * How the gateway executes operations on the supergraph: every operation through Hive Router's query
 * planner and plan executor (`@graphql-hive/router-runtime`).
 *
 * - Queries: a page of 50 orders with their users took p50 21-25 ms instead of 28-29 ms through the
 *   default, stitching-based delegation (docs/benchmarks.md).
 * - Mutations: its plans send consecutive mutation fields of one subgraph as ONE request, which the
 *   subgraph runs in one transaction (atomic requests, API.md).
 * - Subscriptions: each event's entity fetches are merged by the plan, not by stitching's per-object
 *   merge, which was most of the gateway's time in a bulk change (docs/benchmarks.md).
 *
 * The delegation's unified graph is kept (what the plugins and introspection see, as before).
 */
export const unifiedGraphHandler: UnifiedGraphHandler = async (opts) => {
  const delegation = await handleFederationSupergraph(opts);
  const { executor: plan } = await hiveRouterHandler(opts); // loads the planner with the supergraph
  if (!plan) throw new Error('Hive Router gave no executor');
  return {
    ...delegation,
    executor(request) {
      const result = plan(request);
      const own = (r: typeof result extends PromiseLike<infer R> ? R : typeof result) => ownErrorsPerEvent(r, request.context);
      return isPromiseLike(result) ? result.then(own) : own(result);
    },
  };
};

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}

/**
 * `error` as a GraphQLError. The executor hands on a subgraph's errors as the plain objects the subgraph
 * sent (message, path, extensions): Yoga would mask those as "Unexpected error." and lose their codes
 * (CURSOR_EXPIRED, UNAUTHENTICATED), which clients act on. Their locations point into the subgraph's
 * document, not the client's, so they are left out.
 */
function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const { message, path, extensions } = error as { message?: unknown; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> };
  return new GraphQLError(typeof message === 'string' ? message : 'Subgraph error', { path, extensions });
}

/**
 * A subscription's events, each with only its own errors and data.
 *
 * Hive Router's executor (router-runtime 1.4.23, `executeQueryPlan`) runs a whole subscription in one
 * execution context, which it never resets between events:
 * - every event's result hands on that context's `errors` array itself, which is never cleared: once one
 *   event's user fields failed (users-service stopped for a moment), every later event repeated the
 *   error. Each event here gets a copy, and the shared array is emptied before the next event is pulled
 *   (events are pulled one at a time, so nothing of the next one is in it yet);
 * - an event without data (the subgraph's stream ended with an error) leaves the previous event's data
 *   in the context, and its result carries it again: a change delivered twice. Such an event passes
 *   with its errors only.
 * To report upstream (graphql-hive/gateway): errors and data should be per event, errors GraphQLErrors.
 * Queries and mutations (one result) pass as they are. `subscription` (the operation's GraphQL context)
 * ties each event to the span its arrival from the subgraph began.
 */
export function ownErrorsPerEvent<T>(result: T, subscription?: object): T {
  if (!isAsyncIterable(result)) return result;
  return passOn(result as AsyncIterable<ExecutionResult>, {
    async next(pull) {
      const event = await pull();
      if (!event.done) eventExecuted(subscription, event.value); // traced: the event's span ends (tracing.ts)
      if (event.done || !event.value.errors?.length) return event;
      const shared = event.value.errors as ExecutionResult['errors'] & unknown[];
      const errors = shared.map(asGraphQLError);
      shared.length = 0;
      // An error on the root field (the subgraph's stream itself failed: SLOW_CONSUMER, the subgraph gone)
      // means this event has no data of its own; what the context still holds is the previous event's,
      // which the client would receive a second time.
      if (errors.some((error) => error.path?.length === 1)) {
        const { data: stale, ...withoutData } = event.value;
        return { done: false, value: { ...withoutData, errors } };
      }
      return { done: false, value: { ...event.value, errors } };
    },
  }) as T;
}
