/**
 * The page's run-time configuration, from its own server's /config.json:
 * `{ graphqlUrl, devSignIn }`. An empty graphqlUrl means this host on port 4000; the WebSocket URL
 * is the same address with ws: or wss:.
 */
export async function loadConfig() {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const { graphqlUrl, devSignIn } = await response.json();
  const httpUrl = new URL(
    graphqlUrl || `${location.protocol}//${location.hostname}:4000/graphql`,
    location.href,
  );
  const wsUrl = new URL(httpUrl);
  wsUrl.protocol = httpUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  return { httpUrl: httpUrl.href, wsUrl: wsUrl.href, devSignIn: devSignIn === true };
}
