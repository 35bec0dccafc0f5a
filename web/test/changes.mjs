// Builders of OrderChange values as the subscription delivers them, for the tests.
export const userId = (id) => btoa(`User:${id}`);
export const orderId = (id) => btoa(`Order:${id}`);

export function order(id, { state = 'UNPAID', date = '2026-06-03', owner = 1 } = {}) {
  return { __typename: 'Order', id: orderId(id), date, state, user: { __typename: 'User', id: userId(owner), username: `user${owner}` } };
}

export function change(action, orderValue, {
  previous = null,
  changedFields = action === 'CREATED' ? ['DATE', 'STATE', 'USER'] : [],
  transaction = { id: 't1', last: true },
  origin = { kind: 'OUTSIDE', clientMutationId: null, actor: null },
  cursor = 'c',
} = {}) {
  return { action, order: orderValue, previous, changedFields, transaction, origin, cursor };
}

export const api = (actorId, clientMutationId = null) => ({
  kind: 'API',
  clientMutationId,
  actor: actorId == null ? null : { id: userId(actorId), username: `user${actorId}` },
});
