// PostGraphile 4 with live queries over logical decoding (wal2json), as its documentation sets it up:
// the peer that `make bench PEER=postgraphile` measures beside ordergraph. Settings by environment:
//   PEER_DATABASE_URL  the database (its owner's connection: logical decoding needs a superuser or a replication role)
//   PEER_PORT          where to listen (127.0.0.1), default 5050
//   LD_WAIT            @graphile/lds: ms between two reads of the replication slot (set by the bench: 10)
//   LIVE_THROTTLE      graphile-build: ms a live query waits at least between two re-runs (set by the bench: 26,
//                      the least it allows: 25 ms of bundling changes plus 1)
// GET /healthz answers 200 once the schema is built, which is when the logical decoding slot exists.
'use strict';
const http = require('http');
const { postgraphile, enhanceHttpServerWithWebSockets } = require('postgraphile');
const LiveQueriesOverLogicalDecoding = require('@graphile/subscriptions-lds').default;

const database = process.env.PEER_DATABASE_URL;
const port = parseInt(process.env.PEER_PORT || '5050', 10);
if (!database) {
  console.error('PEER_DATABASE_URL is not set');
  process.exit(2);
}

const middleware = postgraphile(database, 'public', {
  subscriptions: true,
  live: true,
  ownerConnectionString: database,
  appendPlugins: [LiveQueriesOverLogicalDecoding],
  graphiql: false,
  disableQueryLog: true,
  ignoreRBAC: false,
  setofFunctionsContainNulls: false,
  retryOnInitFail: false,
});

let ready = false;
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ready ? 'ok' : 'starting');
    return;
  }
  middleware(req, res);
});
enhanceHttpServerWithWebSockets(server, middleware);

middleware.getGraphQLSchema().then(() => {
  ready = true;
  console.log(`PostGraphile with live queries on http://127.0.0.1:${port}/graphql (LD_WAIT=${process.env.LD_WAIT}, LIVE_THROTTLE=${process.env.LIVE_THROTTLE})`);
}, (error) => {
  console.error('Could not build the schema:', error);
  process.exit(1);
});

// Ends the logical decoding session (its temporary slot goes with it) before exiting.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    Promise.resolve(middleware.release()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}

server.listen(port, '127.0.0.1');
