// Serves the built page (dist/, built by `npm run build`) and the endpoints in routes.mjs.
//
// Environment:
//   WEB_PORT             port to listen on (3000)
//   WEB_HOST             address to listen on (0.0.0.0)
//   GATEWAY_PUBLIC_URL   the gateway's GraphQL URL as the browser reaches it, returned in /config.json;
//                        empty: the page uses its own host on port 4000
//   AUTH_JWT_SECRET      HS256 secret for development tokens (the development secret, schema/dev-jwt-secret,
//                        when unset); another secret turns dev sign-in off unless DEV_SIGN_IN=true (a test
//                        stack's own secret)
//   DEV_SIGN_IN          `true` / `false` to force development sign-in on (never in production) or off
//   AUTH_JWT_ISSUER_URI  set when a real identity provider issues tokens: turns dev sign-in off
//   NODE_ENV             `production` turns dev sign-in off
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { createRoutes, settingsFrom } from './routes.mjs';

const env = process.env;
const port = Number(env.WEB_PORT || 3000);
const host = env.WEB_HOST || '0.0.0.0';
const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');

if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`WEB_PORT must be a port number, got "${env.WEB_PORT}"`);
  process.exit(1);
}
if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/index.html is missing: run `npm run build` first');
  process.exit(1);
}

const routes = createRoutes(env);
const assets = sirv(dist, {
  single: true, // unknown paths without an extension get index.html
  etag: true,
  setHeaders(res, pathname) {
    // Vite names everything under assets/ by content hash; the rest (index.html) must be revalidated.
    res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  },
});

const server = createServer((req, res) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  routes(req, res, () => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    assets(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    });
  });
});

server.listen(port, host, () => {
  const { graphqlUrl, devSignIn } = settingsFrom(env);
  console.log(`web: serving dist/ on http://${host}:${port} (gateway ${graphqlUrl || 'this host, port 4000'}; dev sign-in ${devSignIn ? 'on' : 'off'})`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
