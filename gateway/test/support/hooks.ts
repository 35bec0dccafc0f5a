// Runs plugins' onSubscribe hooks the way Envelop does, for the tests of one plugin or a few in a row:
// each hook in list order, a subscribe function set by one wrapping the one set before, and a result
// set with setResultAndStopExecution ending it there.
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';

/** The parts of a subscription's arguments (graphql-js's ExecutionArgs) that the plugins read. */
export interface SubscribeArgs {
  schema?: GraphQLSchema;
  document?: DocumentNode;
  operationName?: string;
  variableValues?: Record<string, unknown>;
  contextValue?: object;
  /** The request's AbortSignal, where Yoga's executionCancellation puts it. */
  signal?: AbortSignal;
}

export type SubscribeFn = (args: SubscribeArgs) => unknown;

/** What a client gets: the stream, or a refusal. */
export type Subscribed = AsyncIterableIterator<ExecutionResult> | ExecutionResult;

type OnSubscribe = (payload: {
  args: SubscribeArgs;
  subscribeFn: SubscribeFn;
  setSubscribeFn(fn: SubscribeFn): void;
  setResultAndStopExecution(result: ExecutionResult): void;
}) => unknown;

/** Runs `plugins`' onSubscribe hooks in order and subscribes through what they made of `subscribe`. */
export async function subscribeThrough(plugins: GatewayPlugin[], args: SubscribeArgs, subscribe: SubscribeFn): Promise<Subscribed> {
  let subscribeFn = subscribe;
  let stopped: ExecutionResult | undefined;
  for (const plugin of plugins) {
    // The hook's payload as the plugins use it; Envelop's type names every graphql-js argument.
    const onSubscribe = plugin.onSubscribe as unknown as OnSubscribe | undefined;
    onSubscribe?.({ args, subscribeFn, setSubscribeFn: (fn) => (subscribeFn = fn), setResultAndStopExecution: (result) => (stopped = result) });
    if (stopped) return stopped;
  }
  return (await subscribeFn(args)) as Subscribed;
}

/** The stream a subscription got; fails the test when it was refused. */
export function streamOf(subscribed: Subscribed): AsyncIterableIterator<ExecutionResult> {
  if (!(Symbol.asyncIterator in subscribed)) throw new Error(`refused: ${JSON.stringify(subscribed)}`);
  return subscribed;
}

/** A subgraph request as the plugins' onSubgraphExecute hooks read and change it. */
export interface SubgraphRequest {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
  context?: object;
}

export type SubgraphExecutor = (request: SubgraphRequest) => Promise<unknown>;

type OnSubgraphExecute = (payload: {
  subgraphName: string;
  executionRequest: SubgraphRequest;
  executor: SubgraphExecutor;
  setExecutor(executor: SubgraphExecutor): void;
  log: object;
}) => unknown;

/**
 * Runs `plugins`' onSubgraphExecute hooks in order, as Hive Gateway does, each given the executor the one
 * before it set; the executor the subgraph request then goes through (`request` itself may be changed).
 */
export async function subgraphExecutorThrough(plugins: GatewayPlugin[], subgraphName: string, request: SubgraphRequest,
                                              executor: SubgraphExecutor): Promise<SubgraphExecutor> {
  const log = { child: () => log, debug: () => {}, warn: () => {} };
  let current = executor;
  for (const plugin of plugins) {
    const onSubgraphExecute = plugin.onSubgraphExecute as unknown as OnSubgraphExecute | undefined;
    await onSubgraphExecute?.({ subgraphName, executionRequest: request, executor: current, setExecutor: (e) => (current = e), log });
  }
  return current;
}
