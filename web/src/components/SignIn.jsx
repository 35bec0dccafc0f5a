import { useId, useState } from 'react';
import { fetchDevToken, parsePastedToken } from '../auth.js';

/** Development sign-in (a token from this page's server) and, always, pasting a token. */
export default function SignIn({ devSignIn, onToken }) {
  const ids = { user: useId(), staff: useId(), token: useId() };
  const [userId, setUserId] = useState('1');
  const [staff, setStaff] = useState(false);
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);

  async function signInAsDevUser(event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onToken(await fetchDevToken(userId.trim(), staff));
    } catch (error) {
      setProblem(`Sign-in failed: ${error.message}`);
      setBusy(false);
    }
  }

  function signInWithPastedToken(event) {
    event.preventDefault();
    setProblem(null);
    try {
      onToken(parsePastedToken(pasted));
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
