import assert from 'node:assert/strict';
import { test } from 'node:test';
import { releasing, SubscriptionCounts } from '../src/plugins/subscription-limits.ts';

test('a key gets at most its limit of places, and a place given back (once) can be taken again', () => {
  const counts = new SubscriptionCounts<string>(2);
  const first = counts.take('a');
  const second = counts.take('a');
  assert.ok(first && second);
  assert.equal(counts.take('a'), null);
  assert.ok(counts.take('b'), 'another key has places of its own');
  first!();
  first!();
  assert.equal(counts.count('a'), 1, 'giving back twice counts once');
  assert.ok(counts.take('a'));
});

test('a stream gives its place back when it ends, and at once when its consumer leaves', async () => {
  let released = 0;
  async function* two() {
    yield 1;
    yield 2;
  }
  const ended = releasing(two(), () => released++);
  assert.deepEqual(await ended.next(), { value: 1, done: false });
  await ended.next();
  await ended.next();
  assert.equal(released, 1);

  const never: AsyncIterable<number> = {
    [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<number>>(() => {}), return: async () => ({ value: undefined, done: true }) }),
  };
  const left = releasing(never, () => released++);
  void left.next(); // waiting for an event that never comes
  await left.return!();
  assert.equal(released, 2, 'released without waiting for the next event');
});
