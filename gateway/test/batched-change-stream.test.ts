import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphQLError, parse, print } from 'graphql';
import { batchedDocument, unbatch, unbatched, useBatchedChangeStream } from '../src/plugins/batched-change-stream.ts';

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
  const results = unbatch(slow as any, 'orderChanges');
  assert.equal(results.length, 1);
  assert.equal(results[0].errors?.[0].extensions.code, 'SLOW_CONSUMER');
});

test('the subscription is unrolled change by change', async () => {
  const plugin = useBatchedChangeStream() as any;
  let subscribeFn: any;
  let sentDocument: any;
  plugin.onSubscribe({
    args: { document: parse('subscription { orderChanges { cursor } }') },
    subscribeFn: async (args: any) => {
      sentDocument = args.document;
      return (async function* () {
        yield { data: { orderChanges: { changes: [{ cursor: '1' }, { cursor: '2' }] } } };
        yield { data: { orderChanges: { changes: [{ cursor: '3' }] } } };
      })();
    },
    setSubscribeFn: (fn: any) => (subscribeFn = fn),
  });
  const cursors: string[] = [];
  for await (const result of await subscribeFn({})) cursors.push(result.data.orderChanges.cursor);
  assert.deepEqual(cursors, ['1', '2', '3']);
  assert.match(print(sentDocument), /orderChangeBatches/);
});

test('a client that leaves a quiet stream releases it at once, not at the next batch', async () => {
  let released = false;
  let wake: ((r: IteratorResult<any>) => void) | undefined;
  const source: AsyncIterator<any> = {
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
