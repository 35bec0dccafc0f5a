// Applies one `orderChanges` event to the Apollo cache. Orders are normalized by `Order.id`, so
// writing the order updates its row wherever it is shown; the table's list (the `orders` page)
// gains or loses the row, kept newest first.
import { ORDERS, ORDER_FIELDS } from './graphql.js';
import { databaseId } from './ids.js';

/** The server's order: date descending, then id descending. */
export function newestFirst(a, b) {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return databaseId(b.id) - databaseId(a.id);
}

/** `variables` are the table query's (`{ first }`); the page keeps at most `first` rows. */
export function applyOrderChange(cache, { action, order }, variables) {
  const id = cache.identify(order);
  if (action === 'DELETED') {
    cache.updateQuery({ query: ORDERS, variables }, (data) =>
      data ? withEdges(data, data.orders.edges.filter((edge) => edge.node.id !== order.id)) : undefined,
    );
    cache.evict({ id });
    return;
  }
  // CREATED and UPDATED: write the order, then make sure the page holds it in the right place
  // (an UPDATED order may be missing after a gap, and a new date moves it).
  cache.writeFragment({ id, fragment: ORDER_FIELDS, data: order });
  cache.updateQuery({ query: ORDERS, variables }, (data) => {
    if (!data) return undefined;
    const edges = data.orders.edges.filter((edge) => edge.node.id !== order.id);
    edges.push({ __typename: 'OrderEdge', node: order });
    edges.sort((a, b) => newestFirst(a.node, b.node));
    const overflow = edges.length > variables.first;
    return withEdges(data, edges.slice(0, variables.first), overflow);
  });
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
