import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError, Kind, getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import { tokenExpiry, viewerScope } from '../auth.ts';
import { isAsyncIterable } from '../iterators.ts';
import { ORDERS_SUBSCRIPTIONS, changesIn } from '../orders-subscriptions.ts';

type Result = ExecutionResult;

/** Counts for /metrics: client subscriptions served from shared streams, and the streams. */
export interface SharingStats {
  consumers: number;
  streams: number;
}

/**
 * One subscriber's view of a shared stream: the results published since it joined, queued until its
 * client takes them. A client that lets more than `maxQueued` changes pile up gets `SLOW_CONSUMER`
 * and is ended, so one slow socket neither holds memory nor slows the others.
 */
class Consumer implements AsyncIterableIterator<Result> {
  private queue: Result[] = [];
  private queued = 0;
  private waiting?: { resolve: (r: IteratorResult<Result>) => void; reject: (e: unknown) => void };
  private ended = false;
  private finished = false;
  private failure: unknown;

  /**
   * @param leave called when it stops taking results (returned by its client, or cut off)
   * @param finish called once, when its client has had everything it will get
   */
  constructor(private readonly maxQueued: number, private readonly leave: (c: Consumer) => void,
              private readonly finish: () => void) {}

  push(result: Result) {
    if (this.ended) return;
    const weight = changesIn(result);
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: result, done: false });
    } else if (this.queued + weight <= this.maxQueued) {
      this.queued += weight;
      this.queue.push(result);
    } else {
      this.queue = [slowConsumer(this.maxQueued)];
      this.queued = 0;
      this.ended = true;
      this.leave(this);
    }
  }

  end(error?: unknown) {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting && error !== undefined) waiting.reject(error);
    else waiting?.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<Result>> {
    if (this.queue.length > 0) {
      const value = this.queue.shift()!;
      this.queued = Math.max(0, this.queued - changesIn(value));
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) {
      this.markFinished();
      const failure = this.failure;
      this.failure = undefined;
      return failure !== undefined ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<Result>> {
    this.queue = [];
    this.queued = 0;
    this.end();
    this.leave(this);
    this.markFinished();
    return Promise.resolve({ value: undefined, done: true });
  }

  private markFinished() {
    if (!this.finished) {
      this.finished = true;
      this.finish();
    }
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

function slowConsumer(maxQueued: number): Result {
  return {
    errors: [new GraphQLError(
      `This subscription fell more than ${maxQueued} changes behind at the gateway and was closed; ` +
        "resume with the last cursor received as 'after', or read faster.",
      { extensions: { code: 'SLOW_CONSUMER' } },
    )],
  };
}

/** One upstream subscription and one execution per event, its results handed to every consumer in order. */
class SharedStream {
  readonly consumers = new Set<Consumer>();
  closed = false;

  constructor(private readonly source: AsyncIterator<Result>, private readonly onClose: () => void) {
    void this.pump();
  }

  join(maxQueued: number, finish: () => void): Consumer {
    const consumer = new Consumer(maxQueued, (c) => this.leave(c), finish);
    this.consumers.add(consumer);
    return consumer;
  }

  private leave(consumer: Consumer) {
    if (!this.consumers.delete(consumer) || this.consumers.size > 0 || this.closed) return;
    this.close();
    void this.source.return?.()?.catch?.(() => {});
  }

  private close() {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  private async pump() {
    try {
      for (;;) {
        const { value, done } = await this.source.next();
        if (done) break;
        for (const consumer of this.consumers) consumer.push(value);
      }
      this.close();
      for (const consumer of this.consumers) consumer.end();
    } catch (err) {
      this.close();
      for (const consumer of this.consumers) consumer.end(err);
    }
  }
}

const printed = new WeakMap<DocumentNode, string>();

/**
 * The key under which identical subscriptions share a stream, or `null` when this one must have its
 * own: only the shareable fields (orders-subscriptions.ts), and never with a non-null `after` (a replay
 * belongs to the one who asked).
 */
export function sharingKey(document: DocumentNode, operationName: string | null | undefined,
                           variables: Record<string, unknown> | null | undefined, scope: string): string | null {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'subscription') return null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || !ORDERS_SUBSCRIPTIONS.shareable.has(selection.name.value)) return null;
    for (const argument of selection.arguments ?? []) {
      if (argument.name.value !== ORDERS_SUBSCRIPTIONS.resumeArgument) continue;
      const value = argument.value;
      if (value.kind === Kind.VARIABLE ? variables?.[value.name.value] != null : value.kind !== Kind.NULL) return null;
    }
  }
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return `${scope}\n${operationName ?? ''}\n${text}\n${JSON.stringify(variables ?? {})}`;
}

/** `args` without the AbortSignal that ties an execution to its request. */
function withoutSignal<T extends object>(args: T): T & { signal?: undefined } {
  return { ...args, signal: undefined };
}

/**
 * Subscribers with the same operation, variables and viewer scope share one upstream subscription and
 * one execution of each event, as Cosmo Router groups them: one change to 1,000 staff dashboards is
 * one message from orders-service, one `_entities` call and one execution, then 1,000 sends. Results
 * are the same for everyone in a scope (the subgraphs decide visibility by user id and staff role
 * only), so sharing never shows anyone more than their own subscription would.
 *
 * WebSocket and SSE clients share alike. A client that leaves (a WebSocket `complete`, an SSE client
 * that disconnects: Yoga returns the result iterator) ends only its own consumer; the upstream
 * subscription ends with its last consumer. Nothing else may end it: in Hive Gateway 2.15 the only
 * tie between a request's AbortSignal and the subgraph subscription is the execution's `signal`
 * (set from `request.signal` when `executionCancellation` is on), which reaches the WebSocket
 * executor through `info.signal` and returns the upstream iterator when it aborts
 * (`@graphql-tools/executor-graphql-ws`). So the shared stream is opened without one: the opener's
 * disconnect must not end the stream of those who joined it. (`upstreamCancellation`, off here, would
 * tie subgraph calls to `context.request.signal` as well; keep it off.)
 */
export const useSharedSubscriptions = (options: { maxQueued: number; stats?: SharingStats }): GatewayPlugin => {
  /** The newest stream per key, with the expiry of the token it was opened with (its entity fetches carry it). */
  const streams = new Map<string, { opening: Promise<SharedStream | Result>; expires: number }>();
  const stats = options.stats ?? { consumers: 0, streams: 0 };

  const open = (key: string, expires: number, subscribe: () => unknown): Promise<SharedStream | Result> => {
    const opening = Promise.resolve()
      .then(subscribe)
      .then((result) => {
        if (!isAsyncIterable(result)) return result as Result; // refused: each caller gets the errors
        stats.streams++;
        return new SharedStream((result as AsyncIterable<Result>)[Symbol.asyncIterator](), () => {
          stats.streams--;
          forget();
        });
      });
    const entry = { opening, expires };
    const forget = () => {
      if (streams.get(key) === entry) streams.delete(key);
    };
    streams.set(key, entry);
    opening.then((value) => { if (!(value instanceof SharedStream)) forget(); }, forget);
    return opening;
  };

  /**
   * Joins the key's stream, or opens one. A stream's events are executed with its opener's context,
   * token included, so a client joins only a stream whose token lives at least as long as its own:
   * an expiring opener never cuts short a client whose token is still good.
   */
  const join = async (key: string, expires: number, subscribe: () => unknown): Promise<AsyncIterableIterator<Result> | Result> => {
    for (;;) {
      const current = streams.get(key);
      const opened = await (current && current.expires >= expires ? current.opening : open(key, expires, subscribe));
      if (!(opened instanceof SharedStream)) return opened;
      if (opened.closed) continue; // ended while we waited: open a new one
      stats.consumers++;
      return opened.join(options.maxQueued, () => stats.consumers--);
    }
  };

  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const scope = viewerScope(args.contextValue);
      if (!scope) return;
      const key = sharingKey(args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined, scope);
      if (!key) return;
      const expires = tokenExpiry(args.contextValue) ?? Number.POSITIVE_INFINITY;
      // Detached from the opener's request: see above. (Hive's executor reads the `signal` that
      // graphql-js 16's ExecutionArgs does not declare.)
      setSubscribeFn((subscribeArgs) => join(key, expires, () => subscribeFn(withoutSignal(subscribeArgs))));
    },
  };
};
