import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryCache } from '@apollo/client';
import { cacheShows, writeOrder } from '../src/orderCache.js';
import { order } from './changes.mjs';

test('cacheShows compares with the committed image, not an optimistic layer over it', () => {
  const cache = new InMemoryCache();
  assert.equal(cacheShows(cache, order(5)), false, 'an order the cache does not hold');
  writeOrder(cache, order(5, { state: 'UNPAID' }));
  cache.batch({ optimistic: 'mutation-1', update: (layer) => writeOrder(layer, order(5, { state: 'PAID' })) });
  assert.equal(cacheShows(cache, order(5, { state: 'UNPAID' })), true);
  assert.equal(cacheShows(cache, order(5, { state: 'PAID' })), false);
  assert.equal(cacheShows(cache, order(5, { state: 'UNPAID', owner: 2 })), false);
});
