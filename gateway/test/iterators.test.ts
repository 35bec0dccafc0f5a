import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAsyncIterable, passOn } from '../src/iterators.ts';

/** A source like a subgraph's stream: next() waits until the test pushes a value, fails or ends it. */
function source<T>() {
  const waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  const state = { returned: 0 };
  const iterator: AsyncIterableIterator<T> = {
    next: () => new Promise((resolve, reject) => waiting.push({ resolve, reject })),
    async return() {
      state.returned++;
      for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    iterator,
    state,
    push: (value: T) => waiting.shift()!.resolve({ value, done: false }),
    end: () => waiting.shift()!.resolve({ value: undefined, done: true }),
    fail: (error: unknown) => waiting.shift()!.reject(error),
  };
}

const identity = <T>(pull: () => Promise<IteratorResult<T>>) => pull();
const turn = () => new Promise((resolve) => setImmediate(resolve));

test('results pass through until the source is done, and end is called once', async () => {
  const upstream = source<number>();
  let ended = 0;
  const wrapped = passOn(upstream.iterator, { next: identity, end: () => ended++ });
  const first = wrapped.next();
  upstream.push(1);
  assert.deepEqual(await first, { value: 1, done: false });
  const second = wrapped.next();
  upstream.end();
  assert.deepEqual(await second, { value: undefined, done: true });
  assert.deepEqual(await wrapped.next(), { value: undefined, done: true });
  assert.equal(ended, 1);
});

test('return() acts at once, while a next() still waits for the source, unlike a generator', async () => {
  const upstream = source<number>();
  let ended = 0;
  const wrapped = passOn(upstream.iterator, { next: identity, end: () => ended++ });
  const waiting = wrapped.next();
  await turn();
  assert.deepEqual(await wrapped.return!(), { value: undefined, done: true });
  assert.equal(upstream.state.returned, 1, 'the source is returned without waiting for its next event');
  assert.equal(ended, 1);
  assert.deepEqual(await waiting, { value: undefined, done: true });
  assert.deepEqual(await wrapped.next(), { value: undefined, done: true });
  assert.equal(ended, 1);
});

test('a failing source ends the wrapper: with fail, as one last result; without, as the rejection', async () => {
  const guarded = source<string>();
  const wrapped = passOn(guarded.iterator, { next: identity, fail: (error) => `failed: ${(error as Error).message}` });
  const pending = wrapped.next();
  guarded.fail(new Error('gone'));
  assert.deepEqual(await pending, { value: 'failed: gone', done: false });
  assert.deepEqual(await wrapped.next(), { value: undefined, done: true });

  const plain = source<string>();
  let ended = 0;
  const passing = passOn(plain.iterator, { next: identity, end: () => ended++ });
  const rejected = passing.next();
  plain.fail(new Error('gone'));
  await assert.rejects(rejected, /gone/);
  assert.equal(ended, 1);
  assert.deepEqual(await passing.next(), { value: undefined, done: true });
});

test('throw() ends the wrapper, returns the source and rejects with the error', async () => {
  const upstream = source<number>();
  let ended = 0;
  const wrapped = passOn(upstream.iterator, { next: identity, end: () => ended++ });
  await assert.rejects(wrapped.throw!(new Error('stop')), /stop/);
  assert.equal(upstream.state.returned, 1);
  assert.equal(ended, 1);
  assert.deepEqual(await wrapped.next(), { value: undefined, done: true });
});

test('next may pull several times for one result, and a pull after the end answers done', async () => {
  const upstream = source<number>();
  const pairs = passOn<number, number>(upstream.iterator, {
    async next(pull) {
      const a = await pull();
      if (a.done) return a;
      const b = await pull();
      return b.done ? b : { value: a.value + b.value, done: false };
    },
  });
  const sum = pairs.next();
  upstream.push(1);
  await turn();
  upstream.push(2);
  assert.deepEqual(await sum, { value: 3, done: false });
  const half = pairs.next();
  upstream.push(5);
  await turn();
  await pairs.return!();
  assert.deepEqual(await half, { value: undefined, done: true }, 'what the consumer left is not passed on');
});

test('a stream is told from a single result', () => {
  assert.equal(isAsyncIterable(source<number>().iterator), true);
  assert.equal(isAsyncIterable({ data: null }), false);
  assert.equal(isAsyncIterable(null), false);
  assert.equal(isAsyncIterable(undefined), false);
});
