import { useId, useState } from 'react';
import {
  DEV_TOKEN_TTL_MAX_SECONDS,
  DEV_TOKEN_TTL_MIN_SECONDS,
  fetchDevToken,
  isStaff,
  parsePastedToken,
} from '../auth.js';

/**
 * Development sign-in (a token from this page's server, optionally short-lived to watch it being
 * renewed) and, always, pasting a token. `onToken(token, source)`, source `dev` or `pasted`.
 * `identity`: the claims of an expired session's token, to prefill the form for signing in again.
 */
export default function SignIn({ devSignIn, onToken, identity = null }) {
  const ids = { user: useId(), staff: useId(), ttl: useId(), token: useId() };
  const [userId, setUserId] = useState(() => (typeof identity?.sub === 'string' ? identity.sub : '1'));
  const [staff, setStaff] = useState(() => isStaff(identity));
  const [ttl, setTtl] = useState('');
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);

  async function signInAsDevUser(event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const lifetime = ttl.trim() === '' ? null : Number(ttl);
      onToken(await fetchDevToken(userId.trim(), staff, lifetime), 'dev');
    } catch (error) {
      setProblem(`Sign-in failed: ${error.message}`);
      setBusy(false);
    }
  }

  function signInWithPastedToken(event) {
    event.preventDefault();
    setProblem(null);
    try {
      onToken(parsePastedToken(pasted), 'pasted');
    } catch (error) {
      setProblem(error.message);
    }
  }

  return (
    <section className="card signin" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      {devSignIn && (
        <form onSubmit={signInAsDevUser} className="dev-signin">
          <p className="hint">Development sign-in: this page's server signs a token for any user id.</p>
          <div className="fields">
            <label htmlFor={ids.user}>User id</label>
            <input
              id={ids.user}
              data-testid="signin-user-id"
              inputMode="numeric"
              pattern="[1-9][0-9]*"
              title="A user's numeric id, e.g. 1"
              required
              value={userId}
              onChange={(event) => setUserId(event.target.value)}
            />
            <label className="checkbox" htmlFor={ids.staff}>
              <input
                id={ids.staff}
                type="checkbox"
                data-testid="signin-staff"
                checked={staff}
                onChange={(event) => setStaff(event.target.checked)}
              />
              Staff
            </label>
            <label htmlFor={ids.ttl}>Lifetime (s)</label>
            <input
              id={ids.ttl}
              data-testid="signin-ttl"
              type="number"
              min={DEV_TOKEN_TTL_MIN_SECONDS}
              max={DEV_TOKEN_TTL_MAX_SECONDS}
              step={1}
              placeholder="1 day"
              title={`The token's lifetime in seconds (${DEV_TOKEN_TTL_MIN_SECONDS} to ${DEV_TOKEN_TTL_MAX_SECONDS}); empty: one day. The page renews it before it expires.`}
              value={ttl}
              onChange={(event) => setTtl(event.target.value)}
            />
            <button type="submit" data-testid="signin-submit" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      )}
      <form onSubmit={signInWithPastedToken} className="paste-token">
        <label htmlFor={ids.token}>{devSignIn ? 'Or paste a token' : 'Paste a token from your identity provider'}</label>
        <textarea
          id={ids.token}
          rows={3}
          spellCheck={false}
          placeholder="eyJhbGciOi…"
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
        />
        <button type="submit" className="secondary" disabled={!pasted.trim()}>
          Use token
        </button>
      </form>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </section>
  );
}
