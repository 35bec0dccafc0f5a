import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphQLError, parse, print, type DocumentNode, type ExecutionResult } from 'graphql';
import { batchSizeWithin, batchedDocument, paced, unbatch, unbatched, useBatchedChangeStream, withMaxChanges } from '../src/plugins/batched-change-stream.ts';
import { subscribeThrough as through } from './support/hooks.ts';

/** A budget whose price is given per test: `cost` objects for a full batch of 1,000. */
const budget = (cost: number) => ({ budget: 5000, maxBatch: 1000, costOf: () => cost });

test('orderChanges is executed as orderChangeBatches with the selection under changes', () => {
  const document = parse(`subscription Live($f: OrderFilter, $after: String) {
    orderChanges(filter: $f, after: $after) { action cursor ...Row }
  }
  fragment Row on OrderChange { order { id user { username } } }`);
  const batched = batchedDocument(document, 'Live')!;
  assert.equal(batched.responseKey, 'orderChanges');
  const printed = print(batched.document);
  assert.match(printed, /orderChanges: orderChangeBatches\(filter: \$f, after: \$after\) \{\s+changes \{\s+action\s+cursor\s+\.\.\.Row/);
  assert.match(printed, /fragment Row on OrderChange/);
  assert.equal(batchedDocument(document, 'Live'), batched, 'rewritten once per document');
});

test('an alias is kept; other operations are left alone', () => {
  assert.equal(batchedDocument(parse('subscription { live: orderChanges { cursor } }'))!.responseKey, 'live');
  assert.equal(batchedDocument(parse('subscription { orderChanged(id: "x") { cursor } }')), null);
  assert.equal(batchedDocument(parse('subscription { a: orderChanges { cursor } b: orderChanges { cursor } }')), null);
  assert.equal(batchedDocument(parse('subscription { orderChangeBatches { cursor } }')), null);
  assert.equal(batchedDocument(parse('{ getOrders { id } }')), null);
});

test('a batch becomes one result per change, in order, each with the errors that point into it', () => {
  const forbidden = new GraphQLError('no', { path: ['orderChanges', 'changes', 1, 'order', 'user', 'email'], extensions: { code: 'FORBIDDEN' } });
  const results = unbatch({
    data: { orderChanges: { changes: [{ cursor: 'a' }, { cursor: 'b' }, { cursor: 'c' }] } },
    errors: [forbidden],
  }, 'orderChanges');
  assert.deepEqual(results.map((r) => r.data), [
    { orderChanges: { cursor: 'a' } }, { orderChanges: { cursor: 'b' } }, { orderChanges: { cursor: 'c' } },
  ]);
  assert.equal(results[0].errors, undefined);
  assert.deepEqual(results[1].errors?.map((e) => [e.path, e.extensions.code]), [[['orderChanges', 'order', 'user', 'email'], 'FORBIDDEN']]);
  assert.equal(results[2].errors, undefined);
});

test('a result without changes passes as one result', () => {
  const slow = { data: null, errors: [new GraphQLError('behind', { extensions: { code: 'SLOW_CONSUMER' } })] };
  const results = unbatch(slow, 'orderChanges');
  assert.equal(results.length, 1);
  assert.equal(results[0].errors?.[0].extensions.code, 'SLOW_CONSUMER');
});

/**
 * Subscribes to `query` through the plugin with `cost` as the price of a full batch; the "subgraph" yields
 * `batches`. Returns the document sent upstream and the per-change results the client got.
 */
async function subscribeThrough(cost: number, query: string, batches: ExecutionResult[]) {
  let sentDocument: DocumentNode | undefined;
  const stream = await through([useBatchedChangeStream(budget(cost))], { document: parse(query) }, async (args) => {
    sentDocument = args.document;
    return (async function* () { yield* batches; })();
  });
  const results: ExecutionResult[] = [];
  for await (const result of stream as AsyncIterableIterator<ExecutionResult>) results.push(result);
  return { sent: print(sentDocument!), results };
}

test('the subscription is unrolled change by change', async () => {
  const { sent, results } = await subscribeThrough(3000, 'subscription { orderChanges { cursor } }', [
    { data: { orderChanges: { changes: [{ cursor: '1' }, { cursor: '2' }] } } },
    { data: { orderChanges: { changes: [{ cursor: '3' }] } } },
  ]);
  assert.deepEqual(results.map((r) => r.data), [{ orderChanges: { cursor: '1' } }, { orderChanges: { cursor: '2' } }, { orderChanges: { cursor: '3' } }]);
  assert.match(sent, /orderChangeBatches\(maxChanges: 1000\)/, 'a cheap selection gets full batches, bounded by the price');
});

test('a client that leaves a quiet stream releases it at once, not at the next batch', async () => {
  let released = false;
  let wake: ((r: IteratorResult<ExecutionResult>) => void) | undefined;
  const source: AsyncIterator<ExecutionResult> = {
    next: () => new Promise((resolve) => (wake = resolve)),
    return: async () => {
      released = true;
      wake?.({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
  };
  const stream = unbatched(source, 'orderChanges');
  const waiting = stream.next();
  await stream.return!();
  assert.equal(released, true);
  assert.equal((await waiting).done, true);
});

test('a cheap selection keeps full batches; a costly one asks for batches within the budget', () => {
  assert.equal(batchSizeWithin(5000, 3000, 1000), undefined);
  assert.equal(batchSizeWithin(5000, 44_000, 1000), 113);
  assert.equal(batchSizeWithin(5000, 50_000_000, 1000), 1, 'never fewer than one change');
});

test('maxChanges is set on the batched field, replacing what the client asked', () => {
  const plain = parse('subscription($f: OrderFilter) { orderChangeBatches(filter: $f) { cursor } }');
  assert.match(print(withMaxChanges(plain, undefined, 113)), /orderChangeBatches\(filter: \$f, maxChanges: 113\)/);
  const own = parse('subscription($m: Int) { orderChangeBatches(maxChanges: $m) { cursor } }');
  const replacedOwn = print(withMaxChanges(own, undefined, 113));
  assert.match(replacedOwn, /orderChangeBatches\(maxChanges: 113\)/);
  assert.doesNotMatch(replacedOwn, /\$m/, 'the variable only maxChanges used is gone');
  const other = parse('subscription { orderChanged(id: "x") { cursor } }');
  assert.equal(withMaxChanges(other, undefined, 10), other);
});

test('a costly per-change subscription is executed in smaller batches', async () => {
  const { sent } = await subscribeThrough(44_000, 'subscription { orderChanges { cursor } }', []);
  assert.match(sent, /orderChanges: orderChangeBatches\(maxChanges: 113\)/);
});

test('a long batch is handed out with turns for the event loop in between', async () => {
  const changes = Array.from({ length: 2000 }, (_, i) => ({ cursor: String(i) }));
  const source = (async function* () { yield { data: { orderChanges: { changes } } }; })();
  let turns = 0;
  let counting = true;
  const tick = () => { if (counting) { turns++; setImmediate(tick); } };
  setImmediate(tick);
  let count = 0;
  for await (const _ of unbatched(source, 'orderChanges')) {
    count++;
    const until = performance.now() + 0.01; // a little work per change, as a send is
    while (performance.now() < until) { /* busy */ }
  }
  counting = false;
  assert.equal(count, 2000);
  assert.ok(turns >= 2, `the event loop had ${turns} turns while 2,000 changes were handed out`);
});

test('a costly stream pauses after a batch of several changes, never after a lone change', async () => {
  const batches = [
    { data: { orderChanges: { changes: [{ cursor: '1' }, { cursor: '2' }] } } },
    { data: { orderChanges: { changes: [{ cursor: '3' }] } } },
    { data: { orderChanges: { changes: [{ cursor: '4' }] } } },
  ];
  let at = 0;
  const source: AsyncIterator<ExecutionResult> = {
    async next() {
      const until = performance.now() + 20; // executing a batch: 20 ms of work
      while (performance.now() < until) { /* busy */ }
      return at < batches.length ? { value: batches[at++], done: false } : { value: undefined, done: true };
    },
  };
  const stream = paced(source);
  await stream.next();
  let started = performance.now();
  await stream.next(); // after the two-change batch: a pause about as long as it took
  assert.ok(performance.now() - started >= 35, `paused ${performance.now() - started} ms`);
  started = performance.now();
  await stream.next(); // after a lone change: none
  assert.ok(performance.now() - started < 35, `paused ${performance.now() - started} ms`);
});
