import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Executor } from '@graphql-tools/utils';
import { Kind, getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import { viewerScope } from '../auth.ts';

/** Marks a context whose operation is a subscription: its entity fetches are for events. */
export const SUBSCRIPTION_CONTEXT = Symbol('subscription');

/**
 * A bounded cache of promises with single flight: concurrent misses of one key share one load, and
 * a result stays for `ttlMs` after it arrived. Failed loads, and results `keep` refuses, are not kept.
 * Refresh ahead: an entry read in the second half of its life is loaded again in the background, and
 * the new result replaces it when it arrives, so a key in steady use is never missed (and never waits
 * on a load) while what is served is still at most `ttlMs` old.
 */
export class SingleFlightCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expires: number; refreshing: boolean }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly keep: (value: T) => boolean = () => true,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, load: () => Promise<T> | T): Promise<T> {
    const found = this.entries.get(key);
    const now = this.now();
    if (found && found.expires > now) {
      if (found.expires - now <= this.ttlMs / 2 && !found.refreshing) this.refresh(key, found, load);
      return found.value;
    }
    if (found) this.entries.delete(key);
    const entry = { value: Promise.resolve().then(load), expires: Number.POSITIVE_INFINITY, refreshing: false };
    this.entries.set(key, entry);
    this.evict();
    entry.value.then(
      (value) => {
        if (this.entries.get(key) !== entry) return;
        if (this.keep(value)) entry.expires = this.now() + this.ttlMs;
        else this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  /** Loads `entry` again; a kept result replaces it (as the newest entry), anything else leaves it to expire. */
  private refresh(key: string, entry: { refreshing: boolean }, load: () => Promise<T> | T) {
    entry.refreshing = true;
    Promise.resolve()
      .then(load)
      .then(
        (value) => {
          if (this.entries.get(key) !== entry) return;
          if (!this.keep(value)) return;
          this.entries.delete(key);
          this.entries.set(key, { value: Promise.resolve(value), expires: this.now() + this.ttlMs, refreshing: false });
        },
        () => {}, // the entry stays until it expires; the next read after that loads again
      );
  }

  /** Drops expired entries, then the oldest, until the bound holds (in-flight loads count too). */
  private evict() {
    if (this.entries.size <= this.maxEntries) return;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expires <= now) this.entries.delete(key);
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

const entitiesOnly = new WeakMap<DocumentNode, string | null>();

/** The printed document when it is a query of `_entities` only (an entity fetch), else `null`. */
export function entityFetch(document: DocumentNode, operationName?: string): string | null {
  let printed = entitiesOnly.get(document);
  if (printed === undefined) {
    const operation = getOperationAST(document, operationName);
    const onlyEntities = operation?.operation === 'query' && operation.selectionSet.selections.length > 0 &&
      operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
    printed = onlyEntities ? print(document) : null;
    entitiesOnly.set(document, printed);
  }
  return printed;
}

/** Results worth keeping: data, and no errors but those a viewer's scope decides (a hidden email). */
function cacheable(result: unknown): boolean {
  const { data, errors } = (result ?? {}) as ExecutionResult;
  return data != null && (errors ?? []).every((e) => e.extensions?.code === 'FORBIDDEN');
}

/**
 * Entity fetches made for subscription events, shared between events and subscribers of the same
 * viewer scope. Left alone, the gateway resolves `user { ... }` with one `_entities` call per event
 * per subscriber (a fresh DataLoader per event), so a 10,000-row UPDATE is 10,000 calls and one change
 * to 1,000 viewers is 1,000. Here the same fetch, in the same scope (staff, or one user: what the
 * users subgraph decides visibility by), is made once and its result kept for at most `ttlMs` (<= 1 s):
 * a changed username shows within that time. A fetch in steady use is refreshed ahead, so its events do
 * not wait on users-service once a second. A scope never reads another scope's entries, so no one
 * receives an email fetched for staff or another user. Queries and mutations are not cached.
 */
export const useEntityCache = (options: { subgraphs: string[]; ttlMs: number; maxEntries: number }): GatewayPlugin<{ [SUBSCRIPTION_CONTEXT]?: true }> => {
  const subgraphs = new Set(options.subgraphs);
  const cache = new SingleFlightCache<ExecutionResult>(options.ttlMs, options.maxEntries, cacheable);
  return {
    onSubscribe({ args }) {
      args.contextValue[SUBSCRIPTION_CONTEXT] = true;
    },
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      const context = executionRequest.context;
      if (options.ttlMs <= 0 || !subgraphs.has(subgraphName) || !context?.[SUBSCRIPTION_CONTEXT]) return;
      const scope = viewerScope(context);
      if (!scope) return;
      const printed = entityFetch(executionRequest.document, executionRequest.operationName);
      if (!printed) return;
      const key = `${scope}\n${subgraphName}\n${printed}\n${JSON.stringify(executionRequest.variables ?? {})}`;
      // An entity fetch is a query: one result, never a stream. (Executors are generic in the result's
      // data, which no function of a fixed type is; hence the cast.)
      const cached = (request: Parameters<Executor>[0]) =>
        cache.get(key, () => executor(request) as Promise<ExecutionResult>)
          // Each caller gets its own copy of the data: the gateway merges into the objects it receives.
          .then((result) => (result.data ? { ...result, data: structuredClone(result.data) } : result));
      setExecutor(cached as Executor);
    },
  };
};
