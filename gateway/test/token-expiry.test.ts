import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { useSharedSubscriptions } from '../src/plugins/shared-subscriptions.ts';
import { useSubscriptionLimits } from '../src/plugins/subscription-limits.ts';
import { untilExpiry, useTokenExpiry } from '../src/plugins/token-expiry.ts';
import { subscribeThrough as through } from './support/hooks.ts';

/** A source the test pushes results into, and that records when it is returned. */
function source() {
  const queue: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  const state = { returned: 0, push(r: ExecutionResult) { queue.push(r); wake?.(); } };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      while (queue.length === 0 && state.returned === 0) await new Promise<void>((r) => (wake = r));
      if (queue.length > 0) return { value: queue.shift()!, done: false };
      return { value: undefined, done: true };
    },
    async return() { state.returned++; wake?.(); return { value: undefined, done: true }; },
    [Symbol.asyncIterator]() { return this; },
  };
  return { state, iterator };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const code = (result: IteratorResult<ExecutionResult>) => result.value?.errors?.[0]?.extensions?.code;

test('at expiry a waiting client gets one TOKEN_EXPIRED, then done, and the source is returned at once', async () => {
  const upstream = source();
  const started = Date.now();
  const stream = untilExpiry(upstream.iterator, started + 300);
  upstream.state.push({ data: { n: 1 } });
  assert.deepEqual((await stream.next()).value, { data: { n: 1 } });
  const expired = await stream.next(); // no event comes: the expiry answers
  assert.ok(Date.now() - started >= 290, 'not before the expiry');
  assert.equal(code(expired), 'TOKEN_EXPIRED');
  assert.deepEqual(expired.value, {
    errors: [expired.value!.errors![0]],
  });
  assert.equal(expired.value!.errors![0].message, 'Your token expired; renew it and subscribe again with after: <last cursor>.');
  assert.equal(upstream.state.returned, 1);
  assert.equal((await stream.next()).done, true);
  assert.equal((await stream.next()).done, true);
});

test('a client that was busy at expiry gets the error on its next read; nothing that came after is passed on', async () => {
  const upstream = source();
  let now = 1_000;
  const stream = untilExpiry(upstream.iterator, 2_000, () => now);
  upstream.state.push({ data: { n: 1 } });
  assert.deepEqual((await stream.next()).value, { data: { n: 1 } });
  now = 2_000; // expired, but the timer has not fired yet: a result arriving now is too late
  upstream.state.push({ data: { n: 2 } });
  assert.equal(code(await stream.next()), 'TOKEN_EXPIRED');
  assert.equal((await stream.next()).done, true);
  assert.equal(upstream.state.returned, 1);
});

test("the subgraph's own TOKEN_EXPIRED passes once, and ends the stream", async () => {
  const upstream = source();
  const stream = untilExpiry(upstream.iterator, Date.now() + 60_000);
  upstream.state.push({ errors: [new GraphQLError('expired', { extensions: { code: 'TOKEN_EXPIRED' } })] });
  assert.equal(code(await stream.next()), 'TOKEN_EXPIRED');
  assert.equal((await stream.next()).done, true);
  assert.equal(upstream.state.returned, 1);
});

test('the timer is cleared when the subscription ends first, by its client or by its source', async () => {
  const before = timeouts();
  const left = source();
  const stream = untilExpiry(left.iterator, Date.now() + 60_000);
  assert.equal(timeouts(), before + 1);
  const pending = stream.next();
  await stream.return!();
  assert.equal((await pending).done, true, 'a waiting read ends at once');
  assert.equal(timeouts(), before);
  assert.equal(left.state.returned, 1);

  const ended = source();
  const other = untilExpiry(ended.iterator, Date.now() + 60_000);
  void ended.iterator.return!(); // the subgraph completes it
  assert.equal((await other.next()).done, true);
  assert.equal(timeouts(), before);
});

test("an expiry beyond setTimeout's range (2^31-1 ms) does not fire at once", async () => {
  const upstream = source();
  const stream = untilExpiry(upstream.iterator, Date.now() + 40 * 24 * 3600 * 1000);
  const next = stream.next();
  const first = await Promise.race([next, sleep(50).then(() => 'still waiting')]);
  assert.equal(first, 'still waiting');
  upstream.state.push({ data: { n: 1 } });
  assert.deepEqual((await next).value, { data: { n: 1 } });
  await stream.return!();
});

/** Subscribes through `plugins` in order, with the one document these tests use. */
async function subscribeThrough(plugins: GatewayPlugin[], contextValue: object, subscribe: () => unknown) {
  const args = { document: parse('subscription { orderChanges { cursor } }'), variableValues: {}, contextValue };
  return (await through(plugins, args, subscribe)) as AsyncIterableIterator<ExecutionResult>;
}

test('an expiring client of a shared stream ends alone, gives its place back, and the others go on', async () => {
  // The order of gateway.config.ts: sharing, then the caps, then the expiry, each client on its own.
  const plugins = [useSharedSubscriptions({ maxQueued: 100 }), useSubscriptionLimits({ perConnection: 10, perViewer: 2 }), useTokenExpiry()];
  const upstream = source();
  let opened = 0;
  const open = () => { opened++; return upstream.iterator; };
  const context = (exp: number) => ({ viewerScope: 'staff', socket: {}, jwt: { payload: { sub: '4', exp } } });
  const anHour = Date.now() / 1000 + 3600;
  const lasting = await subscribeThrough(plugins, context(anHour), open);
  const expiring = await subscribeThrough(plugins, context(Date.now() / 1000 + 0.3), open);
  assert.equal(opened, 1, 'the shorter-lived client joined the stream');
  const third = await subscribeThrough(plugins, context(anHour), open);
  assert.equal(code({ value: third as ExecutionResult, done: false }), 'TOO_MANY_SUBSCRIPTIONS', 'two places per viewer');

  upstream.state.push({ data: { n: 1 } });
  assert.deepEqual((await expiring.next()).value, { data: { n: 1 } });
  assert.deepEqual((await lasting.next()).value, { data: { n: 1 } });
  assert.equal(code(await expiring.next()), 'TOKEN_EXPIRED');
  assert.equal((await expiring.next()).done, true);
  await sleep(10);
  assert.equal(upstream.state.returned, 0, 'the shared upstream goes on');
  upstream.state.push({ data: { n: 2 } });
  assert.deepEqual((await lasting.next()).value, { data: { n: 2 } });

  const again = await subscribeThrough(plugins, context(anHour), open);
  assert.equal(opened, 1);
  assert.equal(typeof again.next, 'function', 'the expired one gave its place back');
  await again.return!();
  await lasting.return!();
  await sleep(10);
  assert.equal(upstream.state.returned, 1, 'the last consumer out ends the upstream');
});
