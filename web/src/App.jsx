import { useCallback, useEffect, useRef, useState } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import {
  claimsOf,
  clearToken,
  identityOf,
  isStaff,
  loadToken,
  msUntilExpiry,
  renewDevToken,
  renewalLeadMs,
  saveToken,
} from './auth.js';
import { SessionContext, createSession } from './session.js';
import SignIn from './components/SignIn.jsx';
import WhoAmI from './components/WhoAmI.jsx';
import ConnectionStatus from './components/ConnectionStatus.jsx';
import OrdersTable from './components/OrdersTable.jsx';

const MAX_TIMER_MS = 2 ** 31 - 1;
const RENEW_RETRY_MS = [1000, 2000, 4000, 5000];
const MIN_RENEW_INTERVAL_MS = 1000;
const EXPIRY_MARGIN_MS = 250; // a timer may fire a little early; `exp` must have passed
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The page. The token expires; before it does (30 s, or a tenth of its lifetime when shorter), a
 * development token is renewed for the same identity and the session goes on with it: same cache,
 * the live table resumes `after` its last change. A pasted token cannot be renewed: at `exp` (or when
 * the server says TOKEN_EXPIRED) the page says the session expired and shows the sign-in form over
 * the table; signing in again as the same identity resumes the table where it stopped, as another
 * identity starts afresh.
 */
export default function App({ config }) {
  const [auth, setAuth] = useState(loadToken); // { token, source: 'dev' | 'pasted' } | null
  const [session, setSession] = useState(null);
  const [expired, setExpired] = useState(null); // why the session stopped, while it waits for a sign-in
  const authRef = useRef(auth);
  authRef.current = auth;
  const renewing = useRef(null); // the auth a renewal is running for

  const signIn = useCallback((token, source = 'pasted') => {
    saveToken(token, source);
    const next = { token, source };
    authRef.current = next;
    setAuth(next);
    setExpired(null);
  }, []);
  const signOut = useCallback(() => {
    clearToken();
    authRef.current = null;
    setAuth(null);
    setExpired(null);
  }, []);

  const canRenew = useCallback((current) => current.source === 'dev' && config.devSignIn, [config.devSignIn]);

  /**
   * Renews the current token (development sign-in: a fresh one for the same identity and lifetime) or,
   * when that cannot be done, says the session expired. `serverSaidSo`: a subscription ended with
   * TOKEN_EXPIRED, so a pasted token is over even if this browser's clock disagrees.
   */
  const renew = useCallback(
    (serverSaidSo) => {
      const current = authRef.current;
      if (!current || renewing.current === current) return;
      if (!canRenew(current)) {
        if (serverSaidSo || msUntilExpiry(current.token) <= 0) {
          setExpired('Your session expired. Sign in again to continue: the table resumes where it stopped.');
        }
        return;
      }
      renewing.current = current;
      (async () => {
        for (let attempt = 0; ; attempt += 1) {
          try {
            const token = await renewDevToken(current.token);
            if (authRef.current === current) signIn(token, 'dev');
            return;
          } catch (error) {
            if (authRef.current !== current) return;
            console.warn(`Could not renew the token: ${error.message}`);
            if (msUntilExpiry(current.token) <= 0 && attempt >= 2) {
              setExpired(`Your session expired and could not be renewed (${error.message}). Sign in again to continue.`);
              return;
            }
            await sleep(RENEW_RETRY_MS[Math.min(attempt, RENEW_RETRY_MS.length - 1)]);
            if (authRef.current !== current) return;
          }
        }
      })().finally(() => {
        if (renewing.current === current) renewing.current = null;
      });
    },
    [canRenew, signIn],
  );
  const renewRef = useRef(renew);
  renewRef.current = renew;

  // A fresh client (cache and socket) per identity, so nothing of one viewer is shown to the next; a
  // renewed token of the same identity goes on in the same session (below).
  const identity = auth ? identityOf(auth.token) : null;
  useEffect(() => {
    if (!identity) {
      setSession(null);
      return undefined;
    }
    const created = createSession({
      httpUrl: config.httpUrl,
      wsUrl: config.wsUrl,
      token: authRef.current.token,
      onTokenExpired: () => renewRef.current(true),
    });
    setSession(created);
    return () => created.dispose();
  }, [identity, config]);

  const token = auth?.token ?? null;
  useEffect(() => {
    // Until the effect above has replaced it, `session` may still be the previous identity's.
    if (session && token && identityOf(session.token()) === identityOf(token)) session.setToken(token);
  }, [session, token]);

  useEffect(() => {
    if (expired) session?.status.set('offline');
  }, [expired, session]);

  // Renew shortly before the token expires; a token that cannot be renewed, just after `exp`. Not more
  // than once a second, should a renewed token already look due (a server clock far behind this one).
  const lastScheduled = useRef(0);
  useEffect(() => {
    if (!auth) return undefined;
    const wait = msUntilExpiry(auth.token) - (canRenew(auth) ? renewalLeadMs(auth.token) : -EXPIRY_MARGIN_MS);
    if (wait > MAX_TIMER_MS) return undefined;
    const floor = Date.now() - lastScheduled.current < MIN_RENEW_INTERVAL_MS ? MIN_RENEW_INTERVAL_MS : 0;
    lastScheduled.current = Date.now();
    const timer = setTimeout(() => renewRef.current(false), Math.max(wait, floor));
    return () => clearTimeout(timer);
  }, [auth, canRenew]);

  const signedIn = auth && session;
  const claims = auth ? claimsOf(auth.token) : null;
  const staff = isStaff(claims);

  const page = (
    <div className="app">
      <header className="topbar">
        <h1>
          Orders <span className="subtitle">live</span>
        </h1>
        {signedIn && (
          <div className="session">
            <ConnectionStatus />
            <span className="viewer">
              Signed in as <WhoAmI />
              {staff && <span className="tag">staff</span>}
            </span>
            <button type="button" className="secondary" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main>
        {expired && auth && (
          <div className="expired">
            <p role="alert" className="error" data-testid="session-expired">
              {expired}
            </p>
            <SignIn devSignIn={config.devSignIn} onToken={signIn} identity={claimsOf(auth.token)} />
          </div>
        )}
        {signedIn ? <OrdersTable viewerId={claims?.sub} staff={staff} /> : !auth && <SignIn devSignIn={config.devSignIn} onToken={signIn} />}
      </main>
    </div>
  );

  if (!signedIn) return page;
  return (
    <ApolloProvider client={session.client}>
      <SessionContext.Provider value={session}>{page}</SessionContext.Provider>
    </ApolloProvider>
  );
}
