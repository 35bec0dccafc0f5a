import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, print } from 'graphql';
import { withOperationName } from '../src/plugins/subgraph-operation-names.ts';

test("a planned subgraph operation takes the client's name, in a copy", () => {
  const planned = parse('query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }');
  const named = withOperationName(planned, 'OrdersPage');
  assert.match(print(named!), /^query OrdersPage\(\$representations/);
  assert.doesNotMatch(print(planned), /OrdersPage/, 'the shared document is left as it was');
});

test('a document that already has a name, or more than one operation, is left alone', () => {
  assert.equal(withOperationName(parse('query Mine { me { id } }'), 'Other'), null);
  assert.equal(withOperationName(parse('query { a } mutation { b }'), 'Other'), null);
});
