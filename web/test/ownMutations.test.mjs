import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOwnMutations } from '../src/ownMutations.js';
import { api, change, order } from './changes.mjs';

const clock = () => {
  let now = 1_000_000;
  const read = () => now;
  read.advance = (ms) => (now += ms);
  return read;
};
const echo = (id, state, clientMutationId) =>
  change('UPDATED', order(id, { state }), { previous: order(id), changedFields: ['STATE'], origin: api(1, clientMutationId) });
const outside = (id, state) =>
  change('UPDATED', order(id, { state }), { previous: order(id), changedFields: ['STATE'] });
const always = () => true;
const never = () => false;

test('clientMutationIds are distinct, within a page and between pages', () => {
  const a = createOwnMutations();
  const b = createOwnMutations();
  const ids = [a.begin('o'), a.begin('o'), b.begin('o')];
  assert.equal(new Set(ids).size, 3);
});

test('payload first: written from the payload; the echo neither written again nor news', () => {
  const own = createOwnMutations(clock());
  const id = own.begin(order(5).id);
  assert.equal(own.settle(id, true), true);
  const { write, news } = own.sort([echo(5, 'PAID', id)], always);
  assert.deepEqual(write, []);
  assert.deepEqual(news, []);
});

test('payload first, but the cache no longer shows it (an older refetch): the echo is written, not news', () => {
  const own = createOwnMutations(clock());
  const id = own.begin(order(5).id);
  own.settle(id, true);
  const arriving = echo(5, 'PAID', id);
  const { write, news } = own.sort([arriving], never);
  assert.deepEqual(write, [arriving]);
  assert.deepEqual(news, []);
});

test('echo first: written from the echo, not news; the payload then is not written', () => {
  const own = createOwnMutations(clock());
  const id = own.begin(order(5).id);
  const arriving = echo(5, 'PAID', id);
  assert.deepEqual(own.sort([arriving], always), { write: [arriving], news: [] });
  assert.equal(own.settle(id, true), false);
});

test('nothing saved: the payload is not written, and later changes are news again', () => {
  const own = createOwnMutations(clock());
  const id = own.begin(order(5).id);
  assert.equal(own.settle(id, false), false);
  const later = outside(5, 'PAID');
  assert.deepEqual(own.sort([later], always), { write: [later], news: [later] });
});

test('a change arriving between the payload and its echo is older than the mutation: left out', () => {
  const own = createOwnMutations(clock());
  const id = own.begin(order(5).id);
  own.settle(id, true);
  const before = outside(5, 'UNPAID');
  const other = outside(6, 'PAID');
  assert.deepEqual(own.sort([before, other], always), { write: [other], news: [other] });
  const after = outside(5, 'UNPAID');
  const result = own.sort([echo(5, 'PAID', id), after], always);
  assert.deepEqual(result, { write: [after], news: [after] });
});

test('an echo that never comes holds later changes off for a while only', () => {
  const now = clock();
  const own = createOwnMutations(now);
  const id = own.begin(order(5).id);
  own.settle(id, true);
  now.advance(31_000);
  const later = outside(5, 'UNPAID');
  assert.deepEqual(own.sort([later], always), { write: [later], news: [later] });
});

test("a lost payload: the echo is recognised and written, not news", () => {
  const own = createOwnMutations(clock());
  const id = own.begin(order(5).id);
  own.lost(id);
  const arriving = echo(5, 'PAID', id);
  assert.deepEqual(own.sort([arriving], always), { write: [arriving], news: [] });
});

test('the echo of an earlier mutation, after a later one was shown, is left out', () => {
  const own = createOwnMutations(clock());
  const first = own.begin(order(5).id);
  own.settle(first, true);
  const second = own.begin(order(5).id);
  own.settle(second, true);
  assert.deepEqual(own.sort([echo(5, 'PAID', first)], never), { write: [], news: [] });
  const last = echo(5, 'UNPAID', second);
  assert.deepEqual(own.sort([last], never), { write: [last], news: [] });
});

test("another client's clientMutationId is anyone else's change", () => {
  const own = createOwnMutations(clock());
  own.begin(order(5).id);
  const foreign = echo(5, 'PAID', 'someone-else-1');
  assert.deepEqual(own.sort([foreign], always), { write: [foreign], news: [foreign] });
});
