import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, parse } from 'graphql';
import { estimateCost } from '../src/plugins/operation-cost.ts';

const schema = buildSchema(`
  type Query { getOrders: [Order!]! orders(first: Int): OrderConnection! me: User }
  type Subscription { orderChangeBatches: Batch! }
  type Batch { changes: [Change!]! }
  type Change { order: Order }
  type OrderConnection { edges: [OrderEdge!]! }
  type OrderEdge { node: Order! }
  type Order { id: ID! user: User! }
  type User { id: ID! orders(first: Int): OrderConnection! }
`);
const cost = (query: string, variables = {}) => estimateCost(schema, parse(query), undefined, variables, 1000);

test('a page counts its first, and each object under it once per item', () => {
  // 1 connection + 50 edges + 50 nodes + 50 users
  assert.equal(cost('{ orders(first: 50) { edges { node { id user { id } } } } }'), 151);
  assert.equal(cost('query($n: Int) { orders(first: $n) { edges { node { id } } } }', { n: 10 }), 21);
});

test('nested lists multiply: three levels of 100 are about a million objects', () => {
  const nested = `{ orders(first: 100) { edges { node { user { orders(first: 100) { edges { node { user {
    orders(first: 100) { edges { node { id } } } } } } } } } } } }`;
  assert.ok(cost(nested) > 1_000_000);
});

test('a list without first counts the default size, aliases and fragments included', () => {
  assert.equal(cost('{ getOrders { id } }'), 1000);
  const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: getOrders { id }`).join(' ');
  assert.equal(cost(`{ ${aliases} }`), 300_000);
  assert.equal(cost('{ ...F } fragment F on Query { getOrders { ... on Order { user { id } } } }'), 2000);
  assert.equal(cost('subscription { orderChangeBatches { changes { order { user { id } } } } }'), 3001);
});
