import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTransactionBuffer } from '../src/transactions.js';

const c = (tx, last, cursor) => ({ cursor, transaction: { id: tx, last } });

test('whole transactions pass at once', () => {
  const buffer = createTransactionBuffer();
  const batch = [c('a', true, 1), c('b', false, 2), c('b', true, 3)];
  assert.deepEqual(buffer.take(batch), batch);
});

test('a transaction spanning batches is held until its last change, then given whole', () => {
  const buffer = createTransactionBuffer();
  assert.deepEqual(buffer.take([c('a', true, 1), c('b', false, 2)]).map((x) => x.cursor), [1]);
  assert.deepEqual(buffer.take([c('b', false, 3)]), []);
  assert.deepEqual(buffer.take([c('b', true, 4), c('c', false, 5)]).map((x) => x.cursor), [2, 3, 4]);
  assert.deepEqual(buffer.take([c('c', true, 6)]).map((x) => x.cursor), [5, 6]);
});

test('reset lets go of a cut-off transaction (the next subscription sends it again)', () => {
  const buffer = createTransactionBuffer();
  buffer.take([c('a', false, 1)]);
  buffer.reset();
  assert.deepEqual(buffer.take([c('a', false, 1), c('a', true, 2)]).map((x) => x.cursor), [1, 2]);
});

test('a transaction whose end never came is let go when another one starts', () => {
  const buffer = createTransactionBuffer();
  buffer.take([c('a', false, 1)]);
  assert.deepEqual(buffer.take([c('b', false, 2)]).map((x) => x.cursor), [1, 2]);
});
