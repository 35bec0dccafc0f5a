import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryCache } from '@apollo/client';
import { ORDERS } from '../src/graphql.js';
import { applyOrderChanges, cacheShows, writeOrder } from '../src/orderCache.js';
import { change, order } from './changes.mjs';

test('cacheShows compares with the committed image, not an optimistic layer over it', () => {
  const cache = new InMemoryCache();
  assert.equal(cacheShows(cache, order(5)), false, 'an order the cache does not hold');
  writeOrder(cache, order(5, { state: 'UNPAID' }));
  cache.batch({ optimistic: 'mutation-1', update: (layer) => writeOrder(layer, order(5, { state: 'PAID' })) });
  assert.equal(cacheShows(cache, order(5, { state: 'UNPAID' })), true);
  assert.equal(cacheShows(cache, order(5, { state: 'PAID' })), false);
  assert.equal(cacheShows(cache, order(5, { state: 'UNPAID', owner: 2 })), false);
});

test('applyOrderChanges keeps the newest rows and says which orders are on the page', () => {
  const cache = new InMemoryCache({ typePolicies: { Query: { fields: { orders: { merge: false } } } } });
  const edge = (node) => ({ __typename: 'OrderEdge', node });
  const pageInfo = { __typename: 'PageInfo', hasNextPage: false };
  const variables = { first: 2 };
  cache.writeQuery({
    query: ORDERS,
    variables,
    data: { orders: { __typename: 'OrderConnection', edges: [edge(order(2, { date: '2026-06-02' })), edge(order(1, { date: '2026-06-01' }))], pageInfo } },
  });
  const onPage = applyOrderChanges(
    cache,
    [change('CREATED', order(3, { date: '2026-06-03' })), change('CREATED', order(4, { date: '2025-01-01' }))],
    variables,
  );
  assert.deepEqual([...onPage].sort(), [order(3).id, order(2).id].sort());
  const { orders } = cache.readQuery({ query: ORDERS, variables });
  assert.deepEqual(orders.edges.map((e) => e.node.id), [order(3).id, order(2).id]);
  assert.equal(orders.pageInfo.hasNextPage, true);
});
