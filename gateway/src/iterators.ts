// Async iterators as the gateway hands them to clients: a subscription's results, wrapped by the plugins.

/** The async-iterable part of `T` (a subscription's stream beside its refusal), or any async iterable. */
type AsyncIterablePart<T> = [Extract<T, AsyncIterable<unknown>>] extends [never] ? AsyncIterable<unknown> : Extract<T, AsyncIterable<unknown>>;

/** Whether `value` is a stream of results (a subscription that was set up) rather than one result. */
export function isAsyncIterable<T>(value: T): value is T & AsyncIterablePart<T> {
  return value != null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/** How a {@link passOn} wrapper makes its results; every part but `next` is optional. */
export interface Passing<T, U> {
  /**
   * The next result for the consumer, made from what `pull` gives: `pull()` is the source's `next()`,
   * except that it answers `done` once the wrapper has ended (its consumer left while it waited), so a
   * loop over `pull` stops by itself.
   */
  next(pull: () => Promise<IteratorResult<T>>): Promise<IteratorResult<U>>;
  /**
   * The last result for a failure of the source (or of `next`); the wrapper is done after it. Without
   * `fail` the failure is passed on as it is (the consumer's `next()` rejects).
   */
  fail?(error: unknown): U;
  /** Called once, when the wrapper ends: the source is done or failed, or the consumer returned or threw. */
  end?(): void;
}

const DONE: IteratorResult<never> = Object.freeze({ value: undefined, done: true });

/**
 * `source` as `passing` turns it into results, as an iterator whose `return()` acts at once.
 *
 * Not an async generator, and this is why every wrapper of a subscription goes through here: a
 * generator's `return()` waits for the pending `next()`, i.e. for the subgraph's next event, so a client
 * that leaves a quiet stream would hold the subgraph's subscription (and its place under the caps, and
 * its share of a shared stream) open until something happens to be published. Here:
 *
 * - `return()` ends the wrapper (`end`), returns the source at once and answers `done`; a `next()` that
 *   was waiting answers `done` when the source gives it back, whatever the source gave.
 * - `throw(error)` ends the wrapper and returns the source the same way, then rejects with `error`.
 * - a source that fails ends the wrapper: the failure becomes one last result (`fail`) or is rethrown.
 * - after the end every `next()` answers `done`.
 */
export function passOn<T, U>(source: AsyncIterable<T> | AsyncIterator<T>, passing: Passing<T, U>): AsyncIterableIterator<U> {
  const iterator: AsyncIterator<T> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    passing.end?.();
  };
  const pull = async (): Promise<IteratorResult<T>> => {
    if (ended) return DONE;
    const result = await iterator.next();
    return ended ? DONE : result;
  };
  return {
    async next() {
      if (ended) return DONE;
      try {
        const result = await passing.next(pull);
        if (result.done) end();
        return ended && !result.done ? DONE : result;
      } catch (error) {
        const wasOpen = !ended;
        end();
        if (!passing.fail) throw error;
        return wasOpen ? { value: passing.fail(error), done: false } : DONE;
      }
    },
    async return() {
      end();
      await iterator.return?.();
      return DONE;
    },
    async throw(error?: unknown) {
      end();
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
