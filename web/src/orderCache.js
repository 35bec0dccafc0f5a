// Applies changes from `orderChangeBatches` (the whole transactions of a batch) to the Apollo cache in
// one update.
// Orders are normalized by `Order.id`, so writing the order updates its row wherever it is shown; the
// table's list (the `orders` page) gains or loses rows, kept newest first.
//
// A bulk statement arrives as batches of up to ~1000 changes, so the work per batch must not grow
// with changes × rows: the batch is reduced to the last change of each order once (a Map), the page
// is read, rewritten and sorted once, and watchers (the table) hear of it once, when the batch ends.
import { ORDER_FIELDS, ORDERS } from './graphql.js';
import { databaseId } from './ids.js';

/** The server's order: date descending, then id descending; on `sortKey`s. */
function newestFirst(a, b) {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return b.id - a.id;
}

// Computed once per row: the comparator runs n log n times, and decoding the id there would dominate
// the sorting of a thousand-change batch.
const sortKey = (edge) => ({ edge, date: edge.node.date, id: databaseId(edge.node.id) });

/**
 * `changes` in commit order (whole transactions of a batch, or several held back while a refetch was in
 * flight); `variables` are the table query's (`{ first }`); the page keeps at most `first` rows. Returns
 * the ids of the orders on the page afterwards (null when the page is not in the cache), so that only
 * those are marked: a 10,000-row UPDATE changes 50 rows that anyone sees.
 */
export function applyOrderChanges(cache, changes, variables) {
  let onPage = null;
  if (changes.length === 0) return onPage;
  // Each change carries the whole order, so only an order's last change in commit order counts:
  // applying the earlier ones first would end in the same state (gone, or this image in its place).
  const lastById = new Map();
  for (const change of changes) lastById.set(change.order.id, change);

  cache.batch({
    update(batch) {
      // CREATED and UPDATED orders are written through the page: an UPDATED order may be missing after
      // a gap, and a new date moves it. One that falls outside the page is not written at all: nothing
      // shows it, and a 10,000-row UPDATE would otherwise fill the cache with orders nobody reads.
      batch.updateQuery({ query: ORDERS, variables }, (data) => {
        if (!data) return undefined;
        const rows = data.orders.edges.filter((edge) => !lastById.has(edge.node.id)).map(sortKey);
        for (const { action, order } of lastById.values()) {
          if (action !== 'DELETED') rows.push(sortKey({ __typename: 'OrderEdge', node: order }));
        }
        rows.sort(newestFirst);
        const overflow = rows.length > variables.first;
        const edges = rows.slice(0, variables.first).map((row) => row.edge);
        onPage = new Set(edges.map((edge) => edge.node.id));
        return withEdges(data, edges, overflow);
      });
      // After the page no longer refers to them: a page read with a dangling reference comes back empty.
      for (const { action, order } of lastById.values()) {
        if (action === 'DELETED') batch.evict({ id: batch.identify(order) });
      }
    },
  });
  return onPage;
}

function withEdges(data, edges, overflow = false) {
  const { orders } = data;
  return {
    ...data,
    orders: {
      ...orders,
      edges,
      pageInfo: { ...orders.pageInfo, hasNextPage: orders.pageInfo.hasNextPage || overflow },
    },
  };
}

/**
 * Whether the cache (its committed layer, not an optimistic one) holds `order` as it is: the same date,
 * state and owner.
 */
export function cacheShows(cache, order) {
  const cached = cache.readFragment({ id: cache.identify(order), fragment: ORDER_FIELDS, optimistic: false });
  return (
    cached != null &&
    cached.date === order.date &&
    cached.state === order.state &&
    cached.user?.id === order.user.id &&
    cached.user?.username === order.user.username
  );
}

/** Writes one order as a mutation's payload returned it, in place (its row, wherever it is shown). */
export function writeOrder(cache, order) {
  cache.writeFragment({ id: cache.identify(order), fragment: ORDER_FIELDS, data: order });
}
