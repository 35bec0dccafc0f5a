import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError, Kind, getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import { tokenExpiry, viewerScope } from '../auth.ts';
import { resumableDocument, resumeVariables, takeCursor } from '../resumable-subscription.ts';
import { TOKEN_EXPIRED } from './token-expiry.ts';
import { isAsyncIterable } from '../iterators.ts';
import { ORDERS_SUBSCRIPTIONS, changesIn } from '../orders-subscriptions.ts';
import { consumerSpan, sameEvent } from '../tracing.ts';
import type { Span } from '@opentelemetry/api';

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
  /** Traced: each queued result's span, and the one its client took last, which ends when it asks again. */
  private spans = new Map<Result, Span>();
  private taken?: Span;

  /**
   * @param leave called when it stops taking results (returned by its client, or cut off)
   * @param finish called once, when its client has had everything it will get
   */
  constructor(private readonly maxQueued: number, private readonly leave: (c: Consumer) => void,
              private readonly finish: () => void) {}

  push(result: Result) {
    if (this.ended) return;
    const weight = changesIn(result);
    const span = consumerSpan(result);
    if (span) this.spans.set(result, span);
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      this.take(result);
      resolve({ value: result, done: false });
    } else if (this.queued + weight <= this.maxQueued) {
      this.queued += weight;
      this.queue.push(result);
    } else {
      this.dropSpans();
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
    this.take(undefined); // asking again: the result taken before has gone out
    if (this.queue.length > 0) {
      const value = this.queue.shift()!;
      this.queued = Math.max(0, this.queued - changesIn(value));
      this.take(value);
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
    this.take(undefined);
    this.dropSpans();
    this.queue = [];
    this.queued = 0;
    this.end();
    this.leave(this);
    this.markFinished();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** The queued results' spans end with them (their client will not take them). */
  private dropSpans() {
    for (const span of this.spans.values()) span.end();
    this.spans.clear();
  }

  /** `result` is its client's now: its span (if traced) ends when the client asks for the next one. */
  private take(result: Result | undefined) {
    this.taken?.end();
    this.taken = undefined;
    if (result === undefined || this.spans.size === 0) return;
    this.taken = this.spans.get(result);
    this.spans.delete(result);
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

/**
 * A consumer's right to the stream: when its token expires, and how to open the stream's upstream
 * subscription under that token, from just after a cursor (`null`: from now on). The stream runs under
 * one ticket at a time, its lease: the upstream subscription carries that token, and each event's entity
 * fetches are made with it.
 */
export interface Ticket {
  expires: number;
  subscribe(after: string | null): unknown;
}

/** How long before its lease's token expires a stream moves to a longer-lived consumer's: at most HANDOVER_LEAD_MS. */
const HANDOVER_LEAD_MS = 5_000;
/**
 * When nothing has arrived under a lease yet there is no cursor to resume from, so the next lease opens
 * from now on, beside the old one, for this long: a change the old one was still carrying comes through
 * it (and the next lease reopens just after that change), later ones wait in the new one.
 */
const HANDOVER_OVERLAP_MS = 1_000;

/** One upstream subscription: its results, and what is done with them (buffered while it overlaps the lease before it). */
interface Lane {
  iterator: AsyncIterator<Result>;
  ticket: Ticket;
  /** Its results while it overlaps the lease before it; `undefined` once it is the stream's. */
  buffer?: Result[];
  /** Opened upstream (it has an iterator). */
  running: boolean;
  /** To become the stream's as soon as it is open (the lease before it ran out first). */
  due: boolean;
  dropped: boolean;
}

/** A lane's iterator until it is open. */
const EMPTY: AsyncIterator<Result> = { next: () => Promise.resolve({ value: undefined, done: true }) };

function saysTokenExpired(result: Result): boolean {
  return (result.errors ?? []).some((e) => e.extensions?.code === TOKEN_EXPIRED);
}

/**
 * One upstream subscription and one execution per event, its results handed to every consumer in order.
 *
 * Consumers join whatever their token's expiry. The stream's upstream subscription and entity fetches run
 * under one consumer's token, the lease; shortly before it expires (HANDOVER_LEAD_MS) the stream moves to
 * the token of the consumer that expires last, if that one outlives the lease: it closes the upstream
 * subscription and opens it again under the new token with `after` set to the cursor of the last result
 * (resumable-subscription.ts), so no change is lost or repeated. A consumer never waits on a token other
 * than its own: when no consumer outlives the lease, each ends with its own token (token-expiry.ts) before
 * the lease does. A result that arrives after the lease's expiry is dropped (the next lease brings it
 * again), so nobody receives data fetched under an expired token.
 */
class SharedStream {
  readonly consumers = new Set<Consumer & { ticket: Ticket }>();
  closed = false;
  private lane: Lane;
  private next?: Lane;
  private lastCursor: string | null = null;
  private timer?: ReturnType<typeof setTimeout>;
  private overlap?: ReturnType<typeof setTimeout>;

  constructor(source: AsyncIterator<Result>, ticket: Ticket, private readonly responseKey: string | null,
              private readonly onClose: () => void) {
    this.lane = { iterator: source, ticket, running: true, due: false, dropped: false };
    void this.run(this.lane);
    this.arm();
  }

  join(maxQueued: number, ticket: Ticket, finish: () => void): Consumer {
    const consumer = Object.assign(new Consumer(maxQueued, (c) => this.leave(c), finish), { ticket });
    this.consumers.add(consumer);
    // Past the hand-over time with nobody to hand over to: this one may be it.
    if (this.timer === undefined && ticket.expires > this.lane.ticket.expires) this.handOver();
    return consumer;
  }

  private leave(consumer: Consumer) {
    if (!this.consumers.delete(consumer as Consumer & { ticket: Ticket }) || this.consumers.size > 0 || this.closed) return;
    this.close();
    this.drop(this.lane);
    if (this.next) this.drop(this.next);
  }

  private close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.overlap);
    this.timer = this.overlap = undefined;
    this.onClose();
  }

  private drop(lane: Lane) {
    if (lane.dropped) return;
    lane.dropped = true;
    void Promise.resolve(lane.iterator.return?.()).catch(() => {});
  }

  /** Sets the hand-over for shortly before the lease's token expires. */
  private arm() {
    clearTimeout(this.timer);
    const left = this.lane.ticket.expires - Date.now();
    if (!Number.isFinite(left)) {
      this.timer = undefined;
      return;
    }
    const lead = Math.min(HANDOVER_LEAD_MS, Math.max(0, left / 2));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.handOver();
    }, Math.min(Math.max(0, left - lead), 2 ** 31 - 1));
    this.timer.unref?.();
  }

  /** The consumer whose token expires last, if it outlives the lease. */
  private successor(): Ticket | undefined {
    let best: Ticket | undefined;
    for (const consumer of this.consumers) {
      if (!best || consumer.ticket.expires > best.expires) best = consumer.ticket;
    }
    return best && best.expires > this.lane.ticket.expires ? best : undefined;
  }

  /** Moves the upstream subscription to the longest-lived consumer's token (see the class comment). */
  private handOver() {
    if (this.closed || this.next) return;
    const ticket = this.successor();
    if (!ticket) return;
    if (this.lastCursor === null) {
      this.openNext(ticket, null, true);
      return;
    }
    this.drop(this.lane);
    this.openNext(ticket, this.lastCursor, false);
  }

  private openNext(ticket: Ticket, after: string | null, overlapping: boolean) {
    const lane: Lane = { iterator: EMPTY, ticket, buffer: overlapping ? [] : undefined, running: false, due: !overlapping, dropped: false };
    this.next = lane;
    void Promise.resolve()
      .then(() => ticket.subscribe(after))
      .then((opened) => {
        if (lane.dropped || this.closed || this.next !== lane) {
          if (isAsyncIterable(opened)) void Promise.resolve((opened as AsyncIterable<Result>)[Symbol.asyncIterator]().return?.()).catch(() => {});
          return;
        }
        if (!isAsyncIterable(opened)) {
          this.fail(opened as Result);
          return;
        }
        lane.iterator = (opened as AsyncIterable<Result>)[Symbol.asyncIterator]();
        lane.running = true;
        void this.run(lane);
        if (lane.due) this.promote(lane);
        else {
          this.overlap = setTimeout(() => this.promote(lane), HANDOVER_OVERLAP_MS);
        }
      }, (error) => {
        if (this.next === lane && !this.closed) this.fail(undefined, error, lane);
      });
  }

  /** `lane` becomes the stream's: what it buffered goes out first. */
  private promote(lane: Lane) {
    if (this.next !== lane || this.closed) return;
    if (!lane.running) {
      lane.due = true;
      return;
    }
    clearTimeout(this.overlap);
    this.overlap = undefined;
    this.drop(this.lane);
    this.lane = lane;
    this.next = undefined;
    const buffered = lane.buffer ?? [];
    lane.buffer = undefined;
    this.arm();
    for (const result of buffered) this.deliver(lane, result);
  }

  private async run(lane: Lane) {
    try {
      for (;;) {
        const { value, done } = await lane.iterator.next();
        if (lane.dropped) return;
        if (done) {
          this.ended(lane);
          return;
        }
        if (lane.buffer) lane.buffer.push(value);
        else this.deliver(lane, value);
      }
    } catch (err) {
      if (!lane.dropped) this.fail(undefined, err, lane);
    }
  }

  private deliver(lane: Lane, value: Result) {
    if (lane !== this.lane) return;
    if (saysTokenExpired(value) || Date.now() >= lane.ticket.expires) {
      // The lease ran out (the subgraph ends a subscription at its token's exp): a longer-lived consumer's
      // token takes over from the last cursor; the others are ending with their own tokens.
      if (this.next) this.promote(this.next);
      else if (this.successor()) this.handOver();
      else if (saysTokenExpired(value)) this.push(value);
      return;
    }
    const { cursor, result } = this.responseKey ? takeCursor(value, this.responseKey) : { cursor: null, result: value };
    if (cursor !== null) this.lastCursor = cursor;
    if (result !== value) sameEvent(value, result);
    this.push(result);
    if (this.next?.buffer && cursor !== null) {
      // The old lease still carried a change: the next one opens again just after it, so that change
      // is not sent twice.
      const next = this.next;
      this.next = undefined;
      clearTimeout(this.overlap);
      this.overlap = undefined;
      this.drop(next);
      this.handOver();
    }
  }

  private push(result: Result) {
    for (const consumer of this.consumers) consumer.push(result);
  }

  private ended(lane: Lane) {
    if (lane === this.next) {
      this.next = undefined; // ended before it took over: the lease goes on, and hands over again at its end
      return;
    }
    if (lane !== this.lane) return;
    if (this.next) {
      this.promote(this.next);
      return;
    }
    this.close();
    for (const consumer of this.consumers) consumer.end();
  }

  /** The stream cannot go on: `result` (a refusal) or `error` to every consumer, then the end. */
  private fail(result?: Result, error?: unknown, lane?: Lane) {
    if (lane && lane !== this.lane && lane !== this.next) return;
    if (lane && lane === this.next && !lane.due && !this.lane.dropped) {
      // A lease that failed to take over while the one before it still runs: that one goes on, and is
      // handed over again when it ends.
      this.next = undefined;
      clearTimeout(this.overlap);
      this.overlap = undefined;
      this.drop(lane);
      return;
    }
    this.close();
    this.drop(this.lane);
    if (this.next) this.drop(this.next);
    for (const consumer of this.consumers) {
      if (result) consumer.push(result);
      consumer.end(result ? undefined : error);
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
 * Who shares does not depend on when their tokens expire: viewers who signed in over the past hour,
 * each subscribing right after, all share one stream, which runs under one of their tokens at a time and
 * moves to the longest-lived one before that token expires (SharedStream).
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
  /** The stream per key, while it opens and while it runs. */
  const streams = new Map<string, Promise<SharedStream | Result>>();
  const stats = options.stats ?? { consumers: 0, streams: 0 };

  const open = (key: string, ticket: Ticket, responseKey: string | null): Promise<SharedStream | Result> => {
    const opening = Promise.resolve()
      .then(() => ticket.subscribe(null))
      .then((result) => {
        if (!isAsyncIterable(result)) return result as Result; // refused: each caller gets the errors
        stats.streams++;
        return new SharedStream((result as AsyncIterable<Result>)[Symbol.asyncIterator](), ticket, responseKey, () => {
          stats.streams--;
          forget();
        });
      });
    const forget = () => {
      if (streams.get(key) === opening) streams.delete(key);
    };
    streams.set(key, opening);
    opening.then((value) => { if (!(value instanceof SharedStream)) forget(); }, forget);
    return opening;
  };

  /** Joins the key's stream, or opens one, whatever the expiry of the token it runs under (see SharedStream). */
  const join = async (key: string, ticket: Ticket, responseKey: string | null): Promise<AsyncIterableIterator<Result> | Result> => {
    for (;;) {
      const opened = await (streams.get(key) ?? open(key, ticket, responseKey));
      if (!(opened instanceof SharedStream)) return opened;
      if (opened.closed) continue; // ended while we waited: open a new one
      stats.consumers++;
      return opened.join(options.maxQueued, ticket, () => stats.consumers--);
    }
  };

  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const scope = viewerScope(args.contextValue);
      if (!scope) return;
      const key = sharingKey(args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined, scope);
      if (!key) return;
      const expires = (tokenExpiry(args.contextValue) ?? Number.POSITIVE_INFINITY) * 1000;
      // Detached from the opener's request: see above. (Hive's executor reads the `signal` that
      // graphql-js 16's ExecutionArgs does not declare.)
      setSubscribeFn((subscribeArgs) => {
        const resumable = resumableDocument(subscribeArgs.document, subscribeArgs.operationName);
        const ticket: Ticket = {
          expires,
          subscribe: (after) => subscribeFn(withoutSignal(resumable
            ? { ...subscribeArgs, document: resumable.document, variableValues: resumeVariables(subscribeArgs.variableValues as Record<string, unknown>, after) }
            : subscribeArgs)),
        };
        return join(key, ticket, resumable?.responseKey ?? null);
      });
    },
  };
};
