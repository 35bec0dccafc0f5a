import assert from 'node:assert/strict';
import { test } from 'node:test';
import { covered, serverTiming } from '../src/plugins/server-timing.ts';

test("subgraph calls that overlap count once; gaps between them are the gateway's", () => {
  assert.equal(covered([]), 0);
  assert.equal(covered([[0, 10]]), 10);
  assert.equal(covered([[0, 10], [5, 12], [20, 25]]), 17);
  assert.equal(covered([[20, 25], [0, 10], [2, 3]]), 15);
});

test("the header names the own time, the subgraphs' and the total", () => {
  assert.equal(serverTiming(12.5, 10), 'gateway;dur=2.50;desc="own time", subgraphs;dur=10.00, total;dur=12.50');
});
