import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { parse, type ExecutionResult } from 'graphql';
import { changesIn } from '../src/orders-subscriptions.ts';
import { sharingKey, useSharedSubscriptions, type SharingStats } from '../src/plugins/shared-subscriptions.ts';
import { subscribeThrough as through, type SubscribeArgs } from './support/hooks.ts';

const CHANGES = parse('subscription($f: OrderFilter, $after: String) { orderChanges(filter: $f, after: $after) { cursor } }');

test('identical subscriptions of one scope share a key; scopes, variables and replays do not', () => {
  const staff = sharingKey(CHANGES, undefined, { f: { state: 'PAID' } }, 'staff');
  assert.ok(staff);
  assert.equal(sharingKey(CHANGES, undefined, { f: { state: 'PAID' } }, 'staff'), staff);
  assert.notEqual(sharingKey(CHANGES, undefined, { f: { state: 'PAID' } }, 'user:1'), staff);
  assert.notEqual(sharingKey(CHANGES, undefined, { f: { state: 'UNPAID' } }, 'staff'), staff);
  assert.equal(sharingKey(CHANGES, undefined, { after: 'abc' }, 'staff'), null);
  assert.ok(sharingKey(CHANGES, undefined, { after: null }, 'staff'));
  assert.equal(sharingKey(parse('subscription { orderChanged(id: "x", after: "c") { cursor } }'), undefined, {}, 'staff'), null);
  assert.equal(sharingKey(parse('subscription { getOrder { id } }'), undefined, {}, 'staff'), null);
  assert.equal(sharingKey(parse('{ getOrders { id } }'), undefined, {}, 'staff'), null);
});

/** A source the test pushes results into, and that records when it is closed. */
function source() {
  const queue: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const state = { returned: false, push(r: ExecutionResult) { queue.push(r); wake?.(); }, end() { ended = true; wake?.(); } };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      while (queue.length === 0 && !ended && !state.returned) await new Promise<void>((r) => (wake = r));
      if (queue.length > 0) return { value: queue.shift()!, done: false };
      return { value: undefined, done: true };
    },
    async return() { state.returned = true; wake?.(); return { value: undefined, done: true }; },
    [Symbol.asyncIterator]() { return this; },
  };
  return { state, iterator };
}

async function subscribeThrough(plugin: GatewayPlugin, subscribe: () => unknown, variables: Record<string, unknown> = {}, exp = 2_000_000_000) {
  const args = { document: CHANGES, variableValues: variables, contextValue: { viewerScope: 'staff', socket: {}, jwt: { payload: { exp } } } };
  return (await through([plugin], args, subscribe)) as AsyncIterableIterator<ExecutionResult>;
}

const tick = () => new Promise((r) => setImmediate(r));

test('subscribers share one upstream and each gets every result once, in order', async () => {
  const stats: SharingStats = { consumers: 0, streams: 0 };
  const plugin = useSharedSubscriptions({ maxQueued: 100, stats });
  const upstream = source();
  let opened = 0;
  const open = () => { opened++; return upstream.iterator; };
  const [a, b] = await Promise.all([subscribeThrough(plugin, open), subscribeThrough(plugin, open)]);
  assert.equal(opened, 1);
  assert.deepEqual(stats, { consumers: 2, streams: 1 });
  for (let i = 1; i <= 3; i++) upstream.state.push({ data: { n: i } });
  for (const client of [a, b]) {
    for (let i = 1; i <= 3; i++) assert.deepEqual((await client.next()).value, { data: { n: i } });
  }
  await a.return!();
  assert.equal(upstream.state.returned, false);
  await b.return!();
  await tick();
  assert.equal(upstream.state.returned, true);
  assert.deepEqual(stats, { consumers: 0, streams: 0 });
});

test('a subscriber that falls too far behind gets SLOW_CONSUMER; the others go on', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 2 });
  const upstream = source();
  const fast = await subscribeThrough(plugin, () => upstream.iterator);
  const slow = await subscribeThrough(plugin, () => upstream.iterator);
  const received: unknown[] = [];
  for (let i = 1; i <= 4; i++) {
    upstream.state.push({ data: { n: i } });
    received.push((await fast.next()).value);
  }
  assert.equal(received.length, 4);
  const first = (await slow.next()).value as ExecutionResult;
  assert.equal(first.errors?.[0].extensions?.code, 'SLOW_CONSUMER');
  assert.equal((await slow.next()).done, true);
  upstream.state.push({ data: { n: 5 } });
  assert.deepEqual((await fast.next()).value, { data: { n: 5 } });
});

test('when the upstream ends every subscriber completes, and the next one opens a new stream', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  const first = source();
  const a = await subscribeThrough(plugin, () => first.iterator);
  first.state.end();
  assert.equal((await a.next()).done, true);
  const second = source();
  const b = await subscribeThrough(plugin, () => second.iterator);
  second.state.push({ data: { n: 1 } });
  assert.deepEqual((await b.next()).value, { data: { n: 1 } });
});

test('a refused subscription is not shared: each caller gets the errors and the next one tries again', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  const refusal = { errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] };
  assert.deepEqual(await subscribeThrough(plugin, () => refusal), refusal);
  const upstream = source();
  const client = await subscribeThrough(plugin, () => upstream.iterator);
  upstream.state.push({ data: { n: 1 } });
  assert.deepEqual((await client.next()).value, { data: { n: 1 } });
});

test('a replay (after) keeps its own subscription', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  let opened = 0;
  const open = () => { opened++; return source().iterator; };
  await through([plugin], { document: CHANGES, variableValues: { after: 'c1' }, contextValue: { viewerScope: 'staff', socket: {} } }, open);
  await through([plugin], { document: CHANGES, variableValues: { after: 'c1' }, contextValue: { viewerScope: 'staff', socket: {} } }, open);
  await through([plugin], { document: CHANGES, variableValues: {}, contextValue: {} }, open); // no verified token: no scope
  await through([plugin], { document: CHANGES, variableValues: {}, contextValue: {} }, open);
  assert.equal(opened, 4, 'each its own subscription');
});

test("SSE clients share like WebSocket ones, and the opener's disconnect ends only its own stream", async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  const upstream = source();
  const signals: unknown[] = [];
  const sseSubscribe = async (request: AbortController) => {
    // An SSE subscription: no socket; Yoga's executionCancellation would put the request's signal here.
    const args = { document: CHANGES, variableValues: {}, contextValue: { viewerScope: 'staff', request: { signal: request.signal } }, signal: request.signal };
    const subscribe = (subscribeArgs: SubscribeArgs) => {
      signals.push(subscribeArgs.signal);
      return upstream.iterator;
    };
    return (await through([plugin], args, subscribe)) as AsyncIterableIterator<ExecutionResult>;
  };
  const openerRequest = new AbortController();
  const opener = await sseSubscribe(openerRequest);
  const joiner = await sseSubscribe(new AbortController());
  assert.deepEqual(signals, [undefined], 'one upstream subscription, opened without the opener\'s signal');

  upstream.state.push({ data: { n: 1 } });
  assert.deepEqual((await opener.next()).value, { data: { n: 1 } });
  assert.deepEqual((await joiner.next()).value, { data: { n: 1 } });
  openerRequest.abort(); // the opener's client goes away: Yoga returns its result iterator
  await opener.return!();
  await tick();
  assert.equal(upstream.state.returned, false);
  upstream.state.push({ data: { n: 2 } });
  assert.deepEqual((await joiner.next()).value, { data: { n: 2 } });
  await joiner.return!();
  await tick();
  assert.equal(upstream.state.returned, true, 'the last one out ends it');
});

test('a batch weighs as many changes as it carries', async () => {
  assert.equal(changesIn({ data: { orderChangeBatches: { changes: [{}, {}, {}] } } }), 3);
  assert.equal(changesIn({ data: { orderChanged: { cursor: 'a' } } }), 1);
  assert.equal(changesIn({ errors: [] }), 1);
  const plugin = useSharedSubscriptions({ maxQueued: 5 });
  const upstream = source();
  const fast = await subscribeThrough(plugin, () => upstream.iterator);
  const slow = await subscribeThrough(plugin, () => upstream.iterator);
  const batch = (n: number) => ({ data: { orderChangeBatches: { changes: Array.from({ length: n }, (_, i) => ({ i })) } } });
  upstream.state.push(batch(3));
  await fast.next();
  upstream.state.push(batch(3)); // 6 changes waiting for the slow one: more than 5
  await fast.next();
  assert.equal(((await slow.next()).value as ExecutionResult).errors?.[0].extensions?.code, 'SLOW_CONSUMER');
});

test('a client whose token outlives the stream opener\'s gets a stream of its own', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  let opened = 0;
  const open = () => { opened++; return source().iterator; };
  await subscribeThrough(plugin, open, {}, 1000);
  await subscribeThrough(plugin, open, {}, 900); // expires earlier: joins
  assert.equal(opened, 1);
  await subscribeThrough(plugin, open, {}, 1100); // expires later: its own stream
  assert.equal(opened, 2);
  await subscribeThrough(plugin, open, {}, 1050); // joins the newest
  assert.equal(opened, 2);
});
