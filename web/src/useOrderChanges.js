// Keeps the table live: subscribes to `orderChangeBatches` (the changes of `orderChanges`, grouped by
// what accumulated while the page was busy), applies each batch's whole transactions to the cache as
// one update (a 10,000-row UPDATE is ~10 renders, not 10,000), and survives what can happen to a
// long-lived subscription:
//
// - The socket drops (gateway restart, network): graphql-ws reconnects with capped backoff and would
//   send the subscription again by itself, with its original variables. When the socket is back
//   (`connected` with wasRetry) this replaces it by one that resumes `after` the last change applied,
//   so the server replays what was committed during the gap, and refetches the table too (for a
//   cursor the server no longer holds, or when no change had arrived yet).
// - The server completes the subscription (the gateway does when its supergraph changes) or ends it
//   with an error: subscribe again after a short, growing pause, resuming after the last change
//   (without a cursor after CURSOR_EXPIRED), and refetch as above.
// - The token expires: the session renews it shortly before `exp` (App), and moves the subscription to
//   a socket opened with the new token; this replaces it by one that resumes `after` the last change
//   applied (no refetch: nothing was missed). Should the server end it first with TOKEN_EXPIRED (a late
//   timer, a clock that differs), wait for a newer token (session.renewToken: App renews a development
//   token, or asks the viewer to sign in again), then subscribe again `after` the last change applied.
// - The server refuses the viewer (UNAUTHENTICATED, FORBIDDEN, close 4401/4403): stop and say so,
//   unless the token of the socket has expired meanwhile (handled as TOKEN_EXPIRED).
// - A subscription starts at the server a moment after it is sent (the protocol acknowledges the
//   socket, not each subscription): the first one resumes `after` the `changesCursor` read before the
//   table, so nothing committed meanwhile is lost. Without a cursor (the feed has seen no change yet),
//   or when an event arrives with errors instead of data, the table is refetched a second later.
//
// A refetch answers with the state at the moment it was read; changes that arrive while it is in
// flight are applied again once it has landed (all of them in one update), so an older snapshot
// never overwrites them.
//
// A transaction's changes are shown together: they are held until the one marked `transaction.last`
// and then applied in one cache update (transactions.js). The cursor to resume after is that of the
// last change applied, so a transaction cut off by a drop is replayed whole by the next subscription,
// which starts with nothing held.
//
// The page's own mutations come back as changes too (`origin.clientMutationId`): ownMutations decides
// which to write and which are someone else's news to mark; see ownMutations.js.
import { useEffect, useRef, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { ORDER_CHANGE_BATCHES } from './graphql.js';
import { applyOrderChanges, cacheShows } from './orderCache.js';
import { createTransactionBuffer } from './transactions.js';
import { useSession } from './session.js';

const STABLE_AFTER_MS = 10_000; // a subscription that lived this long resets the pause
const PAUSE_MAX_MS = 5000;
const CATCH_UP_DELAY_MS = 1000;
const QUICK_EXPIRY_MS = 2000; // a subscription ended by TOKEN_EXPIRED sooner than this after it started

const codesOf = (error) => (error?.errors ?? []).map((e) => e?.extensions?.code);
const hasCode = (error, code) => codesOf(error).includes(code);
const isRefusal = (error) =>
  hasCode(error, 'UNAUTHENTICATED') ||
  hasCode(error, 'FORBIDDEN') ||
  /Socket closed with event 440[13]\b/.test(error?.message ?? '');

/**
 * @param {{ variables: { first: number }, refetch: () => Promise<unknown>, onChanges?: (changes) => void,
 *           enabled: boolean, since: string | null, ownMutations: object }} options
 *           `ownMutations`: this page's mutations (createOwnMutations); `since`: the changesCursor read
 *           before the table; `onChanges`: once per group of whole transactions applied, with the changes
 *           someone else made to orders on the page, in commit order
 * @returns {string | null} why the table is not live when the server refused it, else null
 */
export function useOrderChanges({ variables, refetch, onChanges, enabled, since, ownMutations }) {
  const client = useApolloClient();
  const session = useSession();
  const [refusal, setRefusal] = useState(null);
  const latest = useRef({ refetch, onChanges });
  useEffect(() => {
    latest.current = { refetch, onChanges };
  });
  const first = variables.first;

  useEffect(() => {
    if (!enabled) return undefined;
    let stopped = false;
    let subscription = null;
    let cursor = since; // of the last change applied (at first, where the table was read): where to resume
    let lastError = null;
    let startedAt = 0;
    let failures = 0;
    let pauseTimer = null;
    let catchUpTimer = null;
    let refetching = 0;
    let heldBack = []; // groups of changes applied while a refetch was in flight
    const transactions = createTransactionBuffer();

    const apply = (changes) => applyOrderChanges(client.cache, changes, { first });
    const shows = (order) => cacheShows(client.cache, order);

    function start() {
      lastError = null;
      transactions.reset(); // resumed after the last change applied: a cut-off transaction comes again
      startedAt = Date.now();
      if (session.socketOpen()) session.status.set('live');
      if (!cursor) catchUpSoon();
      subscription = client
        .subscribe({
          query: ORDER_CHANGE_BATCHES,
          variables: cursor ? { after: cursor } : {},
          fetchPolicy: 'no-cache', // applyOrderChanges writes the cache
          context: { queryDeduplication: false },
        })
        .subscribe({
          next({ data, error }) {
            if (error) {
              lastError = error;
              // The subscription ends next; a refetch with the expired token would only fail.
              if (!hasCode(error, 'TOKEN_EXPIRED')) catchUpSoon();
              return;
            }
            const batch = data?.orderChangeBatches;
            if (!batch || batch.changes.length === 0) return; // never sent; nothing to apply or mark
            const whole = transactions.take(batch.changes);
            if (whole.length === 0) return;
            cursor = whole.at(-1).cursor;
            const { write, news } = ownMutations.sort(whole, shows);
            const onPage = apply(write);
            if (refetching) heldBack.push(write);
            const shown = onPage ? news.filter((change) => onPage.has(change.order.id)) : [];
            if (shown.length) latest.current.onChanges?.(shown);
          },
          error: (error) => ended(error),
          complete: () => ended(lastError),
        });
    }

    function ended(error) {
      subscription = null;
      if (stopped) return;
      if (hasCode(error, 'TOKEN_EXPIRED') || (isRefusal(error) && session.socketTokenExpired())) {
        // Not a failure: resume once the session has a newer token, on a socket opened with it; only a
        // renewed token that is refused at once (a server clock far ahead) makes it pause, growing.
        console.info('orderChangeBatches ended: the token expired; resuming with a renewed one');
        failures = Date.now() - startedAt < QUICK_EXPIRY_MS ? failures + 1 : 0;
        const pause = failures === 0 ? 0 : Math.min(250 * 2 ** failures, PAUSE_MAX_MS);
        session.renewToken().then(() => {
          if (stopped || subscription || pauseTimer != null) return;
          pauseTimer = setTimeout(() => {
            pauseTimer = null;
            if (!stopped && !subscription) start();
          }, pause);
        });
        return;
      }
      if (isRefusal(error)) {
        session.status.set('offline');
        setRefusal(error.message);
        return;
      }
      if (error) console.warn('orderChangeBatches ended:', error.message);
      if (hasCode(error, 'CURSOR_EXPIRED')) cursor = null;
      failures = Date.now() - startedAt > STABLE_AFTER_MS ? 0 : failures + 1;
      const pause = failures === 0 ? 0 : Math.min(250 * 2 ** failures, PAUSE_MAX_MS);
      if (pause > 0) session.status.set('reconnecting');
      pauseTimer = setTimeout(resubscribe, pause);
    }

    /** `catchUp`: refetch the table too (after an outage); not when only the token changed. */
    function resubscribe({ catchUp: refetchToo = true } = {}) {
      clearTimeout(pauseTimer);
      pauseTimer = null;
      subscription?.unsubscribe();
      start();
      if (refetchToo) catchUp();
    }

    function catchUpSoon() {
      catchUpTimer ??= setTimeout(() => {
        catchUpTimer = null;
        catchUp();
      }, CATCH_UP_DELAY_MS);
    }

    async function catchUp() {
      refetching += 1;
      try {
        await latest.current.refetch();
      } catch {
        // The table shows the query's error; try again (e.g. orders-service was restarting).
        if (!stopped) catchUpSoon();
      } finally {
        refetching -= 1;
        if (refetching === 0 && !stopped) {
          const batches = heldBack;
          heldBack = [];
          // In commit order, as one update: applyOrderChanges keeps each order's last change.
          if (batches.length > 0) apply(batches.flat());
        }
      }
    }

    // A new socket: after an outage, resume and refetch; after a token renewal, only resume (no gap).
    const stopListening = session.onReconnected(({ renewed } = {}) => resubscribe({ catchUp: !renewed }));
    start();
    return () => {
      stopped = true;
      stopListening();
      clearTimeout(pauseTimer);
      clearTimeout(catchUpTimer);
      subscription?.unsubscribe();
    };
  }, [client, session, first, enabled, since, ownMutations]);

  return refusal;
}
