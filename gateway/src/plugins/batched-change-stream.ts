import type { GatewayPlugin } from '@graphql-hive/gateway';
import {
  GraphQLError,
  Kind,
  getOperationAST,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import { isAsyncIterable } from './subscription-authorization.ts';

type Result = ExecutionResult<Record<string, any>>;

/**
 * Per-change subscription fields and the batched field that carries the same changes with the same
 * arguments. operation-cost.ts prices these fields for a whole batch per message.
 */
export const BATCHED: Record<string, string> = { orderChanges: 'orderChangeBatches' };

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
  const batched = field && BATCHED[field.name.value];
  if (operation && field && batched && field.selectionSet) {
    const responseKey = field.alias?.value ?? field.name.value;
    const changes: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'changes' }, selectionSet: field.selectionSet };
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

/**
 * The per-change results a batch result stands for: change `i` with the errors whose path points
 * into it, re-rooted. A result without changes (a refusal, SLOW_CONSUMER, CURSOR_EXPIRED) passes as it is.
 */
export function unbatch(result: Result, responseKey: string): Result[] {
  const changes = result.data?.[responseKey]?.changes;
  if (!Array.isArray(changes)) {
    return [{ ...result, data: result.data == null ? result.data : { ...result.data, [responseKey]: null } }];
  }
  const errorsOf = new Map<number, GraphQLError[]>();
  const everywhere: GraphQLError[] = [];
  for (const error of result.errors ?? []) {
    const path = error.path ?? [];
    const index = path[1] === 'changes' ? path[2] : undefined;
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

/**
 * The results of `source`, each batch unrolled. Not an async generator: a generator's `return()`
 * waits for the pending `next()`, i.e. for the next batch, so a client that leaves a quiet stream
 * would hold it open; this one passes `return()` on at once.
 */
export function unbatched(source: AsyncIterator<Result>, responseKey: string): AsyncIterableIterator<Result> {
  let pending: Result[] = [];
  let at = 0;
  let finished = false;
  return {
    async next() {
      while (at >= pending.length) {
        if (finished) return { value: undefined, done: true };
        const { value, done } = await source.next();
        if (done || finished) {
          finished = true;
          return { value: undefined, done: true };
        }
        pending = unbatch(value, responseKey);
        at = 0;
      }
      return { value: pending[at++], done: false };
    },
    async return() {
      finished = true;
      pending = [];
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * A client's per-change `orderChanges` subscription is executed as `orderChangeBatches` and handed to
 * the client change by change. Same changes, same order, same cursors, same errors per change; but the
 * gateway plans, executes and fetches entities (`user { ... }`) once per batch instead of once per
 * change, which is what makes a 10,000-row UPDATE cheap for clients that read change by change.
 * A lone change is a batch of one, so nothing waits. Must come after useSharedSubscriptions in the
 * plugin list: its subscribe function then wraps the shared one, and subscribers share the batches,
 * each unrolling them at its own pace.
 */
export const useBatchedChangeStream = (): GatewayPlugin => ({
  onSubscribe({ args, subscribeFn, setSubscribeFn }) {
    const batched = batchedDocument(args.document, args.operationName);
    if (!batched) return;
    setSubscribeFn(async (subscribeArgs) => {
      const result = await subscribeFn({ ...subscribeArgs, document: batched.document });
      if (!isAsyncIterable(result)) return unbatch(result as Result, batched.responseKey)[0] as any;
      return unbatched((result as AsyncIterable<Result>)[Symbol.asyncIterator](), batched.responseKey) as any;
    });
  },
});
