import assert from 'node:assert/strict';
import { test } from 'node:test';
import { marksOf, originNote } from '../src/changeNotes.js';
import { api, change, order } from './changes.mjs';

const owner = { id: '1', staff: false };
const staff = { id: '9', staff: true };
const updated = (origin, opts = {}) =>
  change('UPDATED', order(5, { state: 'PAID', owner: opts.owner ?? 1 }), {
    previous: order(5, { owner: opts.previousOwner ?? opts.owner ?? 1 }),
    changedFields: ['STATE'],
    origin,
  });

test('an outside change says so, to anyone', () => {
  assert.equal(originNote(updated({ kind: 'OUTSIDE', clientMutationId: null, actor: null }), owner), 'changed outside the app');
  assert.equal(originNote(updated({ kind: 'OUTSIDE', clientMutationId: null, actor: null }), staff), 'changed outside the app');
});

test("the viewer's own change (another tab) says nothing", () => {
  assert.equal(originNote(updated(api(1)), owner), null);
  assert.equal(originNote(updated(api(9), { owner: 2 }), staff), null);
});

test('a hidden actor on the orders of a viewer who is not staff is staff', () => {
  assert.equal(originNote(updated(api(null)), owner), 'by staff');
  assert.equal(originNote(updated(api(null)), staff), null);
});

test('for staff: another actor on an order not theirs, or giving it another owner, is staff; else named', () => {
  assert.equal(originNote(updated(api(7), { owner: 2 }), staff), 'by staff');
  assert.equal(originNote(updated(api(2), { owner: 2 }), staff), 'by user2');
  const moved = change('UPDATED', order(5, { owner: 3 }), { previous: order(5, { owner: 2 }), changedFields: ['USER'], origin: api(2) });
  assert.equal(originNote(moved, staff), 'by staff');
  // Placed for themselves: staff or not, the page cannot tell.
  assert.equal(originNote(change('CREATED', order(6, { owner: 2 }), { origin: api(2) }), staff), 'by user2');
});

test('marks: the changed cells, a new row whole, nothing for deletions and same-value updates', () => {
  const created = change('CREATED', order(6));
  const sameValues = change('UPDATED', order(7), { previous: order(7), changedFields: [] });
  const deleted = change('DELETED', order(8), { previous: order(8) });
  const marks = marksOf([updated({ kind: 'OUTSIDE' }), created, sameValues, deleted], owner);
  assert.deepEqual(
    marks.map(({ id, fields, whole, note }) => ({ id, fields: [...fields], whole, note })),
    [
      { id: order(5).id, fields: ['STATE'], whole: false, note: 'changed outside the app' },
      { id: order(6).id, fields: ['DATE', 'STATE', 'USER'], whole: true, note: 'changed outside the app' },
    ],
  );
});

test("marks: an order's changes applied together join their cells; the note is the last one's", () => {
  const first = updated({ kind: 'OUTSIDE' });
  const second = change('UPDATED', order(5, { state: 'PAID', date: '2026-06-04' }), {
    previous: order(5, { state: 'PAID' }),
    changedFields: ['DATE'],
    origin: api(null),
  });
  const [mark] = marksOf([first, second], owner);
  assert.deepEqual([...mark.fields], ['STATE', 'DATE']);
  assert.equal(mark.previous.state, 'UNPAID');
  assert.equal(mark.note, 'by staff');
});
