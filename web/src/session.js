// One signed-in session: an Apollo Client whose queries and mutations go over HTTP and whose
// subscriptions go over one graphql-ws WebSocket, both with the viewer's token, plus the
// connection status that the page shows.
//
// The token can be replaced under a live session (setToken: a renewed token of the same identity, the
// cache and the table stay). HTTP requests read the current token per request. The WebSocket carries
// its token in `connection_init`, once per connection, so a new token needs a new socket: setToken
// closes the open one (graphql-ws `terminate`), graphql-ws opens the next one at once, reading
// `connectionParams` again, and the subscriptions that were on the old socket are moved by their
// owners (onReconnected, with `renewed: true`) to resume `after` their last cursor.
import { createContext, useContext } from 'react';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { CloseCode, createClient } from 'graphql-ws/client';
import { msUntilExpiry } from './auth.js';

const RETRY_WAIT_MAX_MS = 3000; // the capped backoff between reconnection attempts
const KEEP_ALIVE_MS = 10_000; // ping the server this often...
const PONG_WAIT_MS = 5_000; // ...and drop the socket (then reconnect) when no pong comes back
const ACK_WAIT_MS = 10_000; // a server that accepts the socket but never acknowledges it is dropped too

/** Close codes after which graphql-ws gives up: the server refused this client, it will not get better. */
const REFUSED = new Set([
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.BadRequest,
  CloseCode.SubprotocolNotAcceptable,
  CloseCode.TooManyInitialisationRequests,
]);

const TERMINATED = 4499; // graphql-ws' code for a socket this client closed itself with terminate()

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isCloseEvent = (value) => value != null && typeof value === 'object' && 'code' in value && 'reason' in value;

/** A tiny observable value for useSyncExternalStore. */
function createStore(initial) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(next) {
      if (next === value) return;
      value = next;
      listeners.forEach((listener) => listener());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * @param {{ httpUrl: string, wsUrl: string, token: string, onTokenExpired?: () => void }} options
 *   `onTokenExpired`: the server ended a subscription because the token expired (TOKEN_EXPIRED) and no
 *   newer token has been set yet; whoever owns the token renews it (setToken) or asks the viewer to sign in.
 * @returns {{ client: ApolloClient, status: ReturnType<typeof createStore>, socketOpen: () => boolean,
 *   onReconnected: (listener: ({ renewed: boolean }) => void) => () => void, token: () => string,
 *   setToken: (token: string) => void, renewToken: () => Promise<void>, socketTokenExpired: () => boolean,
 *   dispose: () => void }}
 */
export function createSession({ httpUrl, wsUrl, token, onTokenExpired }) {
  let current = token; // the token for new requests and the next connection_init
  let socketToken = null; // the token the latest connection_init carried
  let tokenWaiters = []; // renewToken() calls waiting for a newer token
  // connecting | live | reconnecting | offline
  const status = createStore('connecting');
  const setStatus = (next) => status.set(next !== 'live' && !navigator.onLine ? 'offline' : next);
  const reconnectedListeners = new Set();
  let open = false;
  let pongTimer;
  // Set while the socket is replaced for a new token: that close is no outage, so the status stays
  // and the next connection is opened without the backoff pause.
  let renewing = false;

  const wsClient = createClient({
    url: wsUrl,
    // Read for every connection: a new socket carries the token current when it opens.
    connectionParams: () => {
      socketToken = current;
      return { Authorization: `Bearer ${current}` };
    },
    lazy: true, // the socket opens with the first subscription...
    lazyCloseTimeout: 5000, // ...and outlives a subscription that is replaced by a new one
    keepAlive: KEEP_ALIVE_MS,
    connectionAckWaitTimeout: ACK_WAIT_MS,
    retryAttempts: Infinity,
    retryWait: (retries) =>
      renewing ? Promise.resolve() : sleep(Math.min(250 * 2 ** retries, RETRY_WAIT_MAX_MS) + Math.random() * 500),
    // The default retries close events only; a socket that fails to open reports an error event first.
    shouldRetry: (errOrCloseEvent) => !(isCloseEvent(errOrCloseEvent) && REFUSED.has(errOrCloseEvent.code)),
    on: {
      connecting: (isRetry) => {
        if (!renewing) setStatus(isRetry ? 'reconnecting' : 'connecting');
      },
      connected: (_socket, _payload, wasRetry) => {
        const renewed = renewing;
        renewing = false;
        open = true;
        setStatus('live');
        // graphql-ws sends the active subscriptions again on the new socket right after this;
        // listeners catch up on what was committed while the socket was down (or replaced).
        if (wasRetry) reconnectedListeners.forEach((listener) => listener({ renewed }));
      },
      closed: (event) => {
        open = false;
        clearTimeout(pongTimer);
        if (renewing && isCloseEvent(event) && event.code === TERMINATED) return;
        renewing = false;
        setStatus(isCloseEvent(event) && REFUSED.has(event.code) ? 'offline' : 'reconnecting');
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          renewing = false; // an outage, not a token renewal: show it and catch up afterwards
          wsClient.terminate();
        }, PONG_WAIT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  // Per request, so a renewed token is used from the next request on.
  const authLink = new SetContextLink((context) => ({
    headers: { ...context.headers, Authorization: `Bearer ${current}` },
  }));
  const httpLink = ApolloLink.from([authLink, new HttpLink({ uri: httpUrl })]);
  const client = new ApolloClient({
    link: ApolloLink.split(
      (operation) => operation.operationType === 'subscription',
      new GraphQLWsLink(wsClient),
      httpLink,
    ),
    cache: new InMemoryCache({
      typePolicies: {
        // The table's page is always written whole (by the query or by applyOrderChanges).
        Query: { fields: { orders: { merge: false } } },
      },
    }),
  });

  const onBrowserOffline = () => setStatus('offline');
  const onBrowserOnline = () => setStatus(open ? 'live' : 'reconnecting');
  window.addEventListener('offline', onBrowserOffline);
  window.addEventListener('online', onBrowserOnline);

  return {
    client,
    status: { get: status.get, subscribe: status.subscribe, set: setStatus },
    socketOpen: () => open,
    onReconnected(listener) {
      reconnectedListeners.add(listener);
      return () => reconnectedListeners.delete(listener);
    },
    token: () => current,
    /**
     * Uses `next` (a token of the same identity) from now on: for HTTP at once; for subscriptions on a
     * new socket, opened at once when subscriptions are active (they resume through onReconnected), else
     * by the next subscription.
     */
    setToken(next) {
      if (!next || next === current) return;
      current = next;
      const waiters = tokenWaiters;
      tokenWaiters = [];
      if (socketToken !== null && socketToken !== next) {
        renewing = true;
        wsClient.terminate(); // no-op without a socket; else closed (4499) and, with subscriptions, reopened
      }
      waiters.forEach((resolve) => resolve());
    },
    /**
     * For a subscription the server ended with TOKEN_EXPIRED: resolves once a token newer than the one
     * the socket was opened with is set (at once when it already is), asking onTokenExpired for one.
     * Subscribe again after it, with `after`.
     */
    renewToken() {
      if (socketToken !== null && socketToken !== current) return Promise.resolve();
      return new Promise((resolve) => {
        tokenWaiters.push(resolve);
        if (tokenWaiters.length === 1) onTokenExpired?.();
      });
    },
    /** Whether the token of the latest connection_init has expired by this browser's clock. */
    socketTokenExpired: () => msUntilExpiry(socketToken ?? current) <= 0,
    dispose() {
      window.removeEventListener('offline', onBrowserOffline);
      window.removeEventListener('online', onBrowserOnline);
      clearTimeout(pongTimer);
      reconnectedListeners.clear();
      tokenWaiters = [];
      wsClient.dispose();
      client.stop();
    },
  };
}

export const SessionContext = createContext(null);

export function useSession() {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a SessionContext provider');
  return session;
}
