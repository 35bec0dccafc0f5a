// The names of orders-service's subscription fields that the gateway treats specially, in one place:
// the supergraph carries no directive that says which fields are change streams, so the plugins read
// them from here (shared-subscriptions.ts, batched-change-stream.ts, operation-cost.ts). A field renamed
// in schema/orders.graphqls is renamed here.
import type { ExecutionResult } from 'graphql';

export const ORDERS_SUBSCRIPTIONS = {
  /** Root fields whose subscribers may share: each sends "what changes from now on" to everyone alike. */
  shareable: new Set(['orderChanged', 'orderChanges', 'orderChangeBatches']) as ReadonlySet<string>,
  /** The argument that replays from a position: a subscription that sets it is its own, never shared. */
  resumeArgument: 'after',
  /**
   * Per-change subscription fields and the batched field that carries the same changes with the same
   * arguments. The gateway executes the first as the second (batched-change-stream.ts), and prices both
   * for a whole batch per message (operation-cost.ts).
   */
  batched: new Map([['orderChanges', 'orderChangeBatches']]) as ReadonlyMap<string, string>,
  /** The field of a batch type that carries its changes. */
  batchChanges: 'changes',
  /** The argument of a batched field that caps the changes per batch (orders-service's `maxChanges`). */
  maxChangesArgument: 'maxChanges',
} as const;

/** The batched fields: the values of {@link ORDERS_SUBSCRIPTIONS.batched}. */
export const BATCHED_FIELDS: ReadonlySet<string> = new Set(ORDERS_SUBSCRIPTIONS.batched.values());

/**
 * How many changes a result carries: the length of its root field's `changes` (a batch, also one a
 * per-change subscription is executed as), else one.
 */
export function changesIn(result: ExecutionResult): number {
  const data = result.data;
  if (data == null) return 1;
  for (const key in data) {
    const field = data[key];
    const changes = typeof field === 'object' && field !== null ? (field as Record<string, unknown>)[ORDERS_SUBSCRIPTIONS.batchChanges] : undefined;
    if (Array.isArray(changes)) return Math.max(1, changes.length);
  }
  return 1;
}
