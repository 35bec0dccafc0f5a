import { useCallback, useEffect, useState } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { clearToken, claimsOf, loadToken, msUntilExpiry, saveToken } from './auth.js';
import { SessionContext, createSession } from './session.js';
import SignIn from './components/SignIn.jsx';
import WhoAmI from './components/WhoAmI.jsx';
import ConnectionStatus from './components/ConnectionStatus.jsx';
import OrdersTable from './components/OrdersTable.jsx';

const MAX_TIMER_MS = 2 ** 31 - 1;

export default function App({ config }) {
  const [token, setToken] = useState(loadToken);
  const [session, setSession] = useState(null);

  const signIn = useCallback((newToken) => {
    saveToken(newToken);
    setToken(newToken);
  }, []);
  const signOut = useCallback(() => {
    clearToken();
    setToken(null);
  }, []);

  // A fresh client (cache and socket) per token, so nothing of one viewer is shown to the next.
  useEffect(() => {
    if (!token) {
      setSession(null);
      return undefined;
    }
    const created = createSession({ httpUrl: config.httpUrl, wsUrl: config.wsUrl, token });
    setSession(created);
    return () => created.dispose();
  }, [token, config]);

  // Sign out when the token expires.
  useEffect(() => {
    if (!token) return undefined;
    const wait = msUntilExpiry(token);
    if (wait > MAX_TIMER_MS) return undefined;
    const timer = setTimeout(signOut, Math.max(wait, 0));
    return () => clearTimeout(timer);
  }, [token, signOut]);

  const signedIn = token && session;
  const staff = Boolean(token && claimsOf(token)?.roles?.includes?.('staff'));

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
      <main>{signedIn ? <OrdersTable staff={staff} /> : !token && <SignIn devSignIn={config.devSignIn} onToken={signIn} />}</main>
    </div>
  );

  if (!signedIn) return page;
  return (
    <ApolloProvider client={session.client}>
      <SessionContext.Provider value={session}>{page}</SessionContext.Provider>
    </ApolloProvider>
  );
}
