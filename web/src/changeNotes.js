// What the table says about a change someone else made: which cells it changed and where it came from.
import { databaseId } from './ids.js';

export const OUTSIDE_NOTE = 'changed outside the app';
export const STAFF_NOTE = 'by staff';

/**
 * Who made `change`, for the row's note, or null when there is nothing to say. `viewer`: `{ id, staff }`,
 * the signed-in user's database id (the token's `sub`) and whether they are staff.
 *
 * - `OUTSIDE` (psql, a batch job, another service): "changed outside the app".
 * - `API` by the viewer (from another tab or client; this page's own mutations are not marked at all):
 *   nothing.
 * - `API` with no actor: the service shows the actor only to the actor and to staff, so the viewer is
 *   neither; and a viewer who is not staff sees only their own orders, which only they and staff may
 *   create, change or delete: "by staff". (A staff viewer sees every actor; should one be missing,
 *   nothing is said.)
 * - `API` by another actor (the viewer is staff): the page does not know that user's roles, except
 *   that only staff may give an order another owner, or act on an order they neither owned before nor
 *   own after the change: then "by staff", else "by <username>".
 */
export function originNote(change, viewer) {
  const { kind, actor } = change.origin;
  if (kind === 'OUTSIDE') return OUTSIDE_NOTE;
  if (!actor) return viewer.staff ? null : STAFF_NOTE;
  if (String(databaseId(actor.id)) === String(viewer.id)) return null;
  const ownerChanged = change.action === 'UPDATED' && change.changedFields.includes('USER');
  const owners = [change.order.user.id, change.previous?.user.id];
  if (ownerChanged || !owners.includes(actor.id)) return STAFF_NOTE;
  return `by ${actor.username}`;
}

/**
 * The marks for changes applied together (commit order), one per order: the cells they changed
 * (`fields`, of `changedFields`: DATE, STATE, USER), `whole` for a row that appeared (CREATED), what the
 * changed cells showed before the first of them (`previous`), and the note of the last. Deleted rows
 * are gone, and an update that wrote the same values changed nothing to mark.
 */
export function marksOf(changes, viewer) {
  const byId = new Map();
  for (const change of changes) {
    if (change.action === 'DELETED') continue;
    const created = change.action === 'CREATED';
    if (!created && change.changedFields.length === 0) continue;
    const id = change.order.id;
    const mark = byId.get(id) ?? { id, fields: new Set(), whole: false, previous: change.previous, note: null };
    change.changedFields.forEach((field) => mark.fields.add(field));
    mark.whole ||= created;
    mark.note = originNote(change, viewer);
    byId.set(id, mark);
  }
  return [...byId.values()];
}
