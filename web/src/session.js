// One signed-in session: an Apollo Client whose queries and mutations go over HTTP and whose
// subscriptions go over one graphql-ws WebSocket, both with the viewer's token, plus the
// connection status that the page shows.
import { createContext, useContext } from 'react';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { CloseCode, createClient } from 'graphql-ws/client';

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
 * @returns {{ client: ApolloClient, status: ReturnType<typeof createStore>, socketOpen: () => boolean,
 *   onReconnected: (listener: () => void) => () => void, dispose: () => void }}
 */
export function createSession({ httpUrl, wsUrl, token }) {
  const authorization = `Bearer ${token}`;
  // connecting | live | reconnecting | offline
  const status = createStore('connecting');
  const setStatus = (next) => status.set(next !== 'live' && !navigator.onLine ? 'offline' : next);
  const reconnectedListeners = new Set();
  let open = false;
  let pongTimer;

  const wsClient = createClient({
    url: wsUrl,
    connectionParams: () => ({ Authorization: authorization }),
    lazy: true, // the socket opens with the first subscription...
    lazyCloseTimeout: 5000, // ...and outlives a subscription that is replaced by a new one
    keepAlive: KEEP_ALIVE_MS,
    connectionAckWaitTimeout: ACK_WAIT_MS,
    retryAttempts: Infinity,
    retryWait: (retries) => sleep(Math.min(250 * 2 ** retries, RETRY_WAIT_MAX_MS) + Math.random() * 500),
    // The default retries close events only; a socket that fails to open reports an error event first.
    shouldRetry: (errOrCloseEvent) => !(isCloseEvent(errOrCloseEvent) && REFUSED.has(errOrCloseEvent.code)),
    on: {
      connecting: (isRetry) => setStatus(isRetry ? 'reconnecting' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        open = true;
        setStatus('live');
        // graphql-ws sends the active subscriptions again on the new socket right after this;
        // listeners catch up on what was committed while the socket was down.
        if (wasRetry) reconnectedListeners.forEach((listener) => listener());
      },
      closed: (event) => {
        open = false;
        clearTimeout(pongTimer);
        setStatus(isCloseEvent(event) && REFUSED.has(event.code) ? 'offline' : 'reconnecting');
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => wsClient.terminate(), PONG_WAIT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  const httpLink = new HttpLink({ uri: httpUrl, headers: { Authorization: authorization } });
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
    dispose() {
      window.removeEventListener('offline', onBrowserOffline);
      window.removeEventListener('online', onBrowserOnline);
      clearTimeout(pongTimer);
      reconnectedListeners.clear();
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
