import type { GatewayPlugin } from '@graphql-hive/gateway';
import {
  GraphQLError,
  Kind,
  getOperationAST,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { isAsyncIterable, passOn } from '../iterators.ts';
import { BATCHED_FIELDS, ORDERS_SUBSCRIPTIONS, changesIn } from '../orders-subscriptions.ts';

type Result = ExecutionResult;

const { batched: BATCHED, batchChanges: CHANGES, maxChangesArgument: MAX_CHANGES } = ORDERS_SUBSCRIPTIONS;

/** How long results are handed out back to back before the event loop gets a turn (other clients' I/O). */
const SLICE_MS = 5;
/**
 * A costly stream pauses this many times as long as its last batch took, and at most MAX_PAUSE_MS,
 * before it asks for the next (see paced): it then has about a third of the event loop. Measured with
 * BystanderBenchmark: factor 1 left a bystander's p99 at 314 ms, 2 at 203-279 ms.
 */
const PAUSE_FACTOR = 2;
const MAX_PAUSE_MS = 100;

const rewritten = new WeakMap<DocumentNode, { document: DocumentNode; responseKey: string } | null>();

/**
 * The document with its one per-change root field replaced by the batched field, the client's
 * selection moved under `changes`, and the response key the client expects; `null` when the
 * operation is anything else.
 */
export function batchedDocument(document: DocumentNode, operationName?: string | null) {
  const cached = rewritten.get(document);
  if (cached !== undefined) return cached;
  let result: { document: DocumentNode; responseKey: string } | null = null;
  const operation = getOperationAST(document, operationName);
  const selections = operation?.operation === 'subscription' ? operation.selectionSet.selections : [];
  const field = selections.length === 1 && selections[0].kind === Kind.FIELD ? (selections[0] as FieldNode) : undefined;
  const batched = field && BATCHED.get(field.name.value);
  if (operation && field && batched && field.selectionSet) {
    const responseKey = field.alias?.value ?? field.name.value;
    const changes: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: CHANGES }, selectionSet: field.selectionSet };
    const replaced: FieldNode = {
      ...field,
      alias: { kind: Kind.NAME, value: responseKey },
      name: { kind: Kind.NAME, value: batched },
      selectionSet: { kind: Kind.SELECTION_SET, selections: [changes] },
    };
    const batchedOperation: OperationDefinitionNode = { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections: [replaced] } };
    result = {
      document: { ...document, definitions: document.definitions.map((d) => (d === operation ? batchedOperation : d)) },
      responseKey,
    };
  }
  rewritten.set(document, result);
  return result;
}

const capped = new WeakMap<DocumentNode, Map<number, DocumentNode>>();

/**
 * The document with its batched root field (`orderChangeBatches`) asking for at most `limit` changes per
 * batch, whatever the client asked: the batch size is the gateway's to choose, since its price
 * (operation-cost.ts) and its stretch of the event loop depend on it, and a client asking for batches of
 * one would bring back an execution and an entity fetch per change. The document as it is when it has
 * no such field.
 */
export function withMaxChanges(document: DocumentNode, operationName: string | null | undefined, limit: number): DocumentNode {
  const operation = getOperationAST(document, operationName);
  const field = operation?.operation === 'subscription' && operation.selectionSet.selections.length === 1
    ? operation.selectionSet.selections[0] : undefined;
  if (!operation || field?.kind !== Kind.FIELD || !BATCHED_FIELDS.has(field.name.value)) return document;
  let byLimit = capped.get(document);
  if (!byLimit) capped.set(document, (byLimit = new Map()));
  const cached = byLimit.get(limit);
  if (cached) return cached;
  const argument = {
    kind: Kind.ARGUMENT as const,
    name: { kind: Kind.NAME as const, value: MAX_CHANGES },
    value: { kind: Kind.INT as const, value: String(limit) },
  };
  const replaced: FieldNode = {
    ...field,
    arguments: [...(field.arguments ?? []).filter((a) => a.name.value !== MAX_CHANGES), argument],
  };
  const selectionSet = { kind: Kind.SELECTION_SET as const, selections: [replaced] };
  // A variable that only the client's maxChanges used goes too (the subgraph refuses unused variables).
  const used = new Set<string>();
  visit(selectionSet, { Variable: (node) => { used.add(node.name.value); } });
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, { Variable: (node) => { used.add(node.name.value); } });
  }
  const variableDefinitions = operation.variableDefinitions?.filter((v) => used.has(v.variable.name.value));
  const rewrittenOperation: OperationDefinitionNode = { ...operation, variableDefinitions, selectionSet };
  const result = { ...document, definitions: document.definitions.map((d) => (d === operation ? rewrittenOperation : d)) };
  if (byLimit.size < 64) byLimit.set(limit, result);
  return result;
}

/**
 * How many changes one batch of a subscription may hold so that executing it builds about `budget`
 * objects at most: `estimated` is the subscription's price for a batch of `maxBatch` changes
 * (operation-cost.ts). `undefined` when a full batch is within the budget.
 */
export function batchSizeWithin(budget: number, estimated: number, maxBatch: number): number | undefined {
  if (!(estimated > budget)) return undefined;
  return Math.max(1, Math.min(maxBatch, Math.floor((budget * maxBatch) / estimated)));
}

/**
 * The per-change results a batch result stands for: change `i` with the errors whose path points
 * into it, re-rooted. A result without changes (a refusal, SLOW_CONSUMER, CURSOR_EXPIRED) passes as it is.
 */
export function unbatch(result: Result, responseKey: string): Result[] {
  const batch = result.data?.[responseKey];
  const changes = typeof batch === 'object' && batch !== null ? (batch as Record<string, unknown>)[CHANGES] : undefined;
  if (!Array.isArray(changes)) {
    return [{ ...result, data: result.data == null ? result.data : { ...result.data, [responseKey]: null } }];
  }
  const errorsOf = new Map<number, GraphQLError[]>();
  const everywhere: GraphQLError[] = [];
  for (const error of result.errors ?? []) {
    const path = error.path ?? [];
    const index = path[1] === CHANGES ? path[2] : undefined;
    if (typeof index !== 'number') {
      everywhere.push(error as GraphQLError);
      continue;
    }
    const moved = new GraphQLError(error.message, {
      path: [responseKey, ...path.slice(3)],
      extensions: error.extensions,
      originalError: (error as GraphQLError).originalError ?? undefined,
    });
    errorsOf.set(index, [...(errorsOf.get(index) ?? []), moved]);
  }
  return changes.map((change, i) => {
    const errors = [...everywhere, ...(errorsOf.get(i) ?? [])];
    return errors.length > 0 ? { data: { [responseKey]: change }, errors } : { data: { [responseKey]: change } };
  });
}

/** The results of `source`, each batch unrolled; a client that leaves a quiet stream releases it at once (iterators.ts). */
export function unbatched(source: AsyncIterator<Result>, responseKey: string): AsyncIterableIterator<Result> {
  let pending: Result[] = [];
  let at = 0;
  let sliceStart = performance.now();
  return passOn<Result, Result>(source, {
    async next(pull) {
      if (at < pending.length && performance.now() - sliceStart > SLICE_MS) {
        // The client's transport takes the next result as soon as it has sent one, all in microtasks:
        // 1,000 changes of a batch would be stringified and written without a break, holding up every
        // other client's requests. Give the event loop a turn every few milliseconds.
        await nextTurn();
        sliceStart = performance.now();
      }
      while (at >= pending.length) {
        const { value, done } = await pull();
        if (done) return { value: undefined, done: true };
        pending = unbatch(value, responseKey);
        at = 0;
        sliceStart = performance.now();
      }
      return { value: pending[at++], done: false };
    },
    end() {
      pending = [];
    },
  });
}

/**
 * `source` (a costly subscription's batches as the gateway executes them), pulled about a third of the
 * time: after a batch of several changes it pauses PAUSE_FACTOR times as long as that batch took to
 * arrive and execute (at most MAX_PAUSE_MS) before it asks for the next. Executing a batch is a stretch
 * of the event loop that no other client's request can interrupt; with the pauses in between, a bulk
 * statement to such a subscription leaves the gateway's event loop to others most of the time instead
 * of taking all of it. A lone change (a batch of one) is never held back. Its client leaving returns
 * `source` at once, pause or not (iterators.ts).
 */
export function paced(source: AsyncIterator<Result>): AsyncIterableIterator<Result> {
  let pause = 0;
  return passOn<Result, Result>(source, {
    async next(pull) {
      if (pause > 0) await sleep(pause);
      const started = performance.now();
      const result = await pull();
      pause = !result.done && changesIn(result.value) > 1 ? Math.min(PAUSE_FACTOR * (performance.now() - started), MAX_PAUSE_MS) : 0;
      return result;
    },
  });
}

/** The batch size for a subscription within the budget, or `undefined` when a full batch fits it. */
function cappedBatchSize(batches: BatchBudget, args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown }) {
  const estimated = batches.costOf(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | null | undefined);
  return batchSizeWithin(batches.budget, estimated, batches.maxBatch);
}

/**
 * Paces (see paced) the upstream batches of a subscription whose batches are capped to the budget, i.e.
 * one that costs much per change. Must come before useSharedSubscriptions in the plugin list: its
 * subscribe function then wraps the subgraph's stream itself, which a shared stream pulls once for all
 * its clients.
 */
export const usePacedCostlyStreams = (batches: BatchBudget): GatewayPlugin => ({
  onSubscribe({ args, subscribeFn, setSubscribeFn }) {
    if (cappedBatchSize(batches, args) === undefined) return;
    setSubscribeFn(async (subscribeArgs) => {
      const result = await subscribeFn(subscribeArgs);
      return isAsyncIterable(result) ? paced(result[Symbol.asyncIterator]()) : result;
    });
  },
});

/**
 * A client's per-change `orderChanges` subscription is executed as `orderChangeBatches` and handed to
 * the client change by change. Same changes, same order, same cursors, same errors per change; but the
 * gateway plans, executes and fetches entities (`user { ... }`) once per batch instead of once per
 * change, which is what makes a 10,000-row UPDATE cheap for clients that read change by change.
 * A lone change is a batch of one, so nothing waits. A selection that costs much per change gets
 * smaller batches (BatchBudget), for this field and for clients' own `orderChangeBatches` alike. Must
 * come after useSharedSubscriptions in the
 * plugin list: its subscribe function then wraps the shared one, and subscribers share the batches,
 * each unrolling them at its own pace.
 */
export const useBatchedChangeStream = (batches: BatchBudget): GatewayPlugin => ({
  onSubscribe({ args, subscribeFn, setSubscribeFn }) {
    const batched = batchedDocument(args.document, args.operationName);
    // Always set, not only when capped: the price assumes at most `maxBatch` changes a batch, whatever
    // orders-service's own bound is.
    const maxChanges = cappedBatchSize(batches, args) ?? batches.maxBatch;
    const cap = (document: DocumentNode) => withMaxChanges(document, args.operationName, maxChanges);
    if (!batched) {
      const document = cap(args.document);
      if (document !== args.document) setSubscribeFn((subscribeArgs) => subscribeFn({ ...subscribeArgs, document }));
      return;
    }
    const document = cap(batched.document);
    setSubscribeFn(async (subscribeArgs) => {
      const result = await subscribeFn({ ...subscribeArgs, document });
      if (!isAsyncIterable(result)) return unbatch(result, batched.responseKey)[0];
      return unbatched(result[Symbol.asyncIterator](), batched.responseKey);
    });
  },
});

/**
 * How large a batch the gateway lets one execution be. Executing a batch (merging the subgraphs' answers
 * for every change in it) is one stretch of the event loop: 1,000 changes of 44 objects each held every
 * other client up for 400 ms (profiled). A subscription whose batch would build more than `budget`
 * objects asks orders-service for smaller batches (its `maxChanges`), so no stretch is much longer
 * than `budget` objects take; cheap selections keep the service's full batches.
 */
export interface BatchBudget {
  /** The most objects one batch's execution should build (SUBSCRIPTION_BATCH_BUDGET). */
  budget: number;
  /** The largest batch orders-service sends (SUBSCRIPTION_MAX_BATCH). */
  maxBatch: number;
  /** The subscription's price for a batch of `maxBatch` changes (operation-cost.ts's estimateCost). */
  costOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined,
         variables: Record<string, unknown> | null | undefined): number;
}
