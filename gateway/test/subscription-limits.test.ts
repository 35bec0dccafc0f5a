import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { ExecutionResult } from 'graphql';
import { releasing, SubscriptionCounts, useSubscriptionLimits } from '../src/plugins/subscription-limits.ts';
import { subscribeThrough } from './support/hooks.ts';

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

/** Subscribes through the plugin with `contextValue`, to a stream that stays quiet; the stream, or the refusal. */
async function subscribe(plugin: GatewayPlugin, contextValue: object) {
  return (await subscribeThrough([plugin], { contextValue }, async () => ({
    [Symbol.asyncIterator]() { return this; },
    next: () => new Promise(() => {}),
    return: async () => ({ value: undefined, done: true }),
  }))) as AsyncIterableIterator<ExecutionResult> & ExecutionResult;
}
const refused = (result: ExecutionResult) => result.errors?.[0]?.extensions?.code === 'TOO_MANY_SUBSCRIPTIONS';

test("SSE subscriptions count against the viewer's cap together with their WebSocket ones", async () => {
  const plugin = useSubscriptionLimits({ perConnection: 10, perViewer: 3 });
  const socket = {};
  const viewer = { jwt: { payload: { sub: '7' } } };
  const ws = await subscribe(plugin, { ...viewer, socket });
  const sse = [await subscribe(plugin, viewer), await subscribe(plugin, viewer)]; // no socket: SSE
  assert.ok(!refused(ws) && !sse.some(refused));
  assert.ok(refused(await subscribe(plugin, viewer)), 'a fourth over SSE');
  assert.ok(refused(await subscribe(plugin, { ...viewer, socket: {} })), 'a fourth over WebSocket');
  assert.ok(!refused(await subscribe(plugin, { jwt: { payload: { sub: '8' } } })), 'another viewer has places of their own');
  await sse[0].return!();
  assert.ok(!refused(await subscribe(plugin, viewer)), 'an SSE client that leaves gives its place back');
});

test('the per-connection cap is WebSocket only: each SSE subscription is a connection of its own', async () => {
  const plugin = useSubscriptionLimits({ perConnection: 1, perViewer: 100 });
  const viewer = { jwt: { payload: { sub: '7' } } };
  const socket = {};
  assert.ok(!refused(await subscribe(plugin, { ...viewer, socket })));
  assert.ok(refused(await subscribe(plugin, { ...viewer, socket })));
  assert.ok(!refused(await subscribe(plugin, viewer)));
  assert.ok(!refused(await subscribe(plugin, viewer)));
});
