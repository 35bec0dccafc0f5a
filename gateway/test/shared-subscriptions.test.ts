import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError, parse, print, type ExecutionResult } from 'graphql';
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

async function subscribeThrough(plugin: GatewayPlugin, subscribe: (args: SubscribeArgs) => unknown, variables: Record<string, unknown> = {}, exp = 2_000_000_000) {
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

test('clients share one stream whatever the order their tokens expire in', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  let opened = 0;
  const open = () => { opened++; return source().iterator; };
  for (const exp of [1000, 900, 1100, 1050]) await subscribeThrough(plugin, open, {}, exp + Date.now() / 1000);
  assert.equal(opened, 1);
});

/** A subscribe function that opens a new test source each time and records the `after` each was opened with. */
function upstreams() {
  const opened: { after: unknown; document: string; upstream: ReturnType<typeof source> }[] = [];
  const subscribe = (args: SubscribeArgs) => {
    const upstream = source();
    opened.push({ after: args.variableValues?._resumeAfter, document: print(args.document!), upstream });
    return upstream.iterator;
  };
  return { opened, subscribe };
}

const change = (cursor: string) => ({ data: { orderChanges: { cursor, _resumeCursor: cursor } } });
const asReceived = (cursor: string) => ({ data: { orderChanges: { cursor } } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inSeconds = (ms: number) => (Date.now() + ms) / 1000;

test('before the opener\'s token expires, the stream moves to the longest-lived token from the last cursor: nothing lost, nothing twice', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  const { opened, subscribe } = upstreams();
  const early = await subscribeThrough(plugin, subscribe, {}, inSeconds(400));
  const late = await subscribeThrough(plugin, subscribe, {}, inSeconds(60_000));
  const later = await subscribeThrough(plugin, subscribe, {}, inSeconds(120_000));
  assert.equal(opened.length, 1);
  assert.equal(opened[0].after, null, 'from now on');
  assert.match(opened[0].document, /orderChanges\(filter: \$f, after: \$_resumeAfter\)/);
  assert.match(opened[0].document, /_resumeCursor: cursor/);
  opened[0].upstream.state.push(change('c1'));
  for (const client of [early, late, later]) assert.deepEqual((await client.next()).value, asReceived('c1'), 'the cursor it did not ask for is not passed on');

  await sleep(300); // the opener's lease is handed over 200 ms before it expires
  assert.equal(opened.length, 2);
  assert.equal(opened[0].upstream.state.returned, true);
  assert.equal(opened[1].after, 'c1', 'opened again just after the last change');
  opened[0].upstream.state.push(change('c2')); // too late: the old lease is closed
  opened[1].upstream.state.push(change('c2'));
  for (const client of [late, later]) assert.deepEqual((await client.next()).value, asReceived('c2'));
  for (const client of [early, late, later]) await client.return!();
});

test('a lease that carried nothing yet overlaps the next one; a change still in it reopens the next just after that change', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  const { opened, subscribe } = upstreams();
  const early = await subscribeThrough(plugin, subscribe, {}, inSeconds(400));
  const late = await subscribeThrough(plugin, subscribe, {}, inSeconds(60_000));
  await sleep(300);
  assert.equal(opened.length, 2);
  assert.equal(opened[1].after, null, 'no cursor yet: from now on, beside the old lease');
  assert.equal(opened[0].upstream.state.returned, false);
  opened[1].upstream.state.push(change('c2')); // held while the old lease may still carry an earlier change
  opened[0].upstream.state.push(change('c1'));
  assert.deepEqual((await late.next()).value, asReceived('c1'));
  await tick();
  assert.equal(opened.length, 3);
  assert.equal(opened[1].upstream.state.returned, true);
  assert.equal(opened[2].after, 'c1');
  opened[2].upstream.state.push(change('c2'));
  assert.deepEqual((await late.next()).value, asReceived('c2'));
  await early.return!();
  await late.return!();
});

test('a lease that carried nothing hands over after the overlap, and what the next one held goes out', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  const { opened, subscribe } = upstreams();
  await subscribeThrough(plugin, subscribe, {}, inSeconds(400));
  const late = await subscribeThrough(plugin, subscribe, {}, inSeconds(60_000));
  await sleep(300);
  opened[1].upstream.state.push(change('c1'));
  assert.deepEqual((await late.next()).value, asReceived('c1')); // after the 1 s overlap
  assert.equal(opened[0].upstream.state.returned, true);
  assert.equal(opened.length, 2);
  await late.return!();
});

test("the subgraph's TOKEN_EXPIRED for the lease hands over when a consumer outlives it, and reaches the consumers when none does", async () => {
  const expired = { errors: [new GraphQLError('expired', { extensions: { code: 'TOKEN_EXPIRED' } })] };
  {
    const plugin = useSharedSubscriptions({ maxQueued: 10 });
    const { opened, subscribe } = upstreams();
    await subscribeThrough(plugin, subscribe, {}, inSeconds(60_000));
    const late = await subscribeThrough(plugin, subscribe, {}, inSeconds(120_000));
    opened[0].upstream.state.push(change('c1'));
    assert.deepEqual((await late.next()).value, asReceived('c1'));
    opened[0].upstream.state.push(expired); // the subgraph's clock is ahead of ours
    await tick();
    assert.equal(opened.length, 2);
    assert.equal(opened[1].after, 'c1');
    opened[1].upstream.state.push(change('c2'));
    assert.deepEqual((await late.next()).value, asReceived('c2'), 'the error did not reach it');
    await late.return!();
  }
  {
    const plugin = useSharedSubscriptions({ maxQueued: 10 });
    const { opened, subscribe } = upstreams();
    const only = await subscribeThrough(plugin, subscribe, {}, inSeconds(60_000));
    opened[0].upstream.state.push(expired);
    assert.equal(((await only.next()).value as ExecutionResult).errors?.[0].extensions?.code, 'TOKEN_EXPIRED');
    assert.equal(opened.length, 1);
  }
});

test('a result that arrives after the lease expired is not passed on', async () => {
  const plugin = useSharedSubscriptions({ maxQueued: 10 });
  const { opened, subscribe } = upstreams();
  const client = await subscribeThrough(plugin, subscribe, {}, inSeconds(100));
  await sleep(150);
  opened[0].upstream.state.push(change('c1'));
  opened[0].upstream.state.end();
  assert.equal((await client.next()).done, true);
});
