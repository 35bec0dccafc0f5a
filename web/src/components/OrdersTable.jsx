import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { marksOf } from '../changeNotes.js';
import { CHANGES_CURSOR, ORDERS } from '../graphql.js';
import { OwnMutationsContext } from '../ownMutationsContext.js';
import { createOwnMutations } from '../ownMutations.js';
import { useChangeMarks } from '../useChangeMarks.js';
import { useOrderChanges } from '../useOrderChanges.js';
import OrderRow from './OrderRow.jsx';

const VARIABLES = { first: 50 };

/**
 * The viewer's orders (staff: everyone's), newest first, kept live by `orderChangeBatches`. `viewerId`:
 * the signed-in user's database id (the token's `sub`), to tell their changes from others'.
 */
export default function OrdersTable({ viewerId, staff = false }) {
  // The feed's cursor first, then the orders: changes committed after the cursor was read are replayed
  // to the subscription, however long it takes to start, so none falls between the two.
  const position = useQuery(CHANGES_CURSOR, { fetchPolicy: 'network-only' });
  const positioned = !position.loading;
  const { data, error, refetch } = useQuery(ORDERS, { variables: VARIABLES, skip: !positioned });
  // Latched: a later failed refetch may clear `data`, and must not tear the subscription down.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (data) setLoaded(true);
  }, [data]);
  const [marked, mark] = useChangeMarks(3000);
  const viewer = useMemo(() => ({ id: viewerId, staff }), [viewerId, staff]);
  // One mark call per group of transactions: one state update however many rows a bulk statement touched.
  const onChanges = useCallback((changes) => mark(marksOf(changes, viewer)), [mark, viewer]);
  // The page's own mutations (the rows' state controls), recognised when their changes come back.
  const [ownMutations] = useState(createOwnMutations);
  const refusal = useOrderChanges({
    ownMutations,
    variables: VARIABLES,
    refetch,
    onChanges,
    // Once the table has landed: a change replayed before it would be overwritten by the older snapshot.
    enabled: positioned && loaded,
    since: position.data?.changesCursor ?? null,
  });

  const edges = data?.orders.edges;
  return (
    <section className="card" aria-labelledby="orders-title">
      <h2 id="orders-title">{staff ? 'All orders' : 'Your orders'}</h2>
      {refusal && (
        <p role="alert" className="error">
          Live updates stopped: {refusal} Sign out and in again.
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          Could not load the orders: {error.message}
        </p>
      )}
      {!edges && !error && <p className="hint">Loading orders…</p>}
      {edges && (
        <table data-testid="orders-table" className="orders">
          <caption className="visually-hidden">Orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">State</th>
              <th scope="col">User</th>
              <th scope="col">Change state</th>
            </tr>
          </thead>
          <tbody>
            <OwnMutationsContext.Provider value={ownMutations}>
              {edges.map(({ node }) => (
                <OrderRow key={node.id} order={node} mark={marked.get(node.id)} />
              ))}
            </OwnMutationsContext.Provider>
            {edges.length === 0 && (
              <tr>
                <td colSpan={4} className="empty">
                  No orders yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {data?.orders.pageInfo.hasNextPage && (
        <p className="hint">Showing the newest {VARIABLES.first} orders.</p>
      )}
    </section>
  );
}
