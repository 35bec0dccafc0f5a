import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket } from 'ws';
import { limitWebSocketMessages } from '../src/websocket-limits.ts';

const LIMIT = 4096;

/** A graphql-ws server made the way Hive Gateway's CLI makes its own (startNodeHttpServer), after the limit is set. */
async function startServer() {
  limitWebSocketMessages(LIMIT); // what gateway.config.ts does when the CLI imports it
  const server = createServer();
  const { WebSocketServer } = await import('ws'); // as the CLI imports it
  const wsServer = new WebSocketServer({ path: '/graphql', server });
  const schema = buildSchema('type Query { echo(text: String): String }');
  useServer({ schema, roots: { query: { echo: ({ text }: { text: string }) => text } } }, wsServer);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, wsServer, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

async function connect(url: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: { id?: string; type: string; payload?: { data?: { echo?: string } } }[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  while (!messages.some((m) => m.type === 'connection_ack')) await new Promise((r) => setTimeout(r, 10));
  return { socket, messages, closed };
}

const subscribe = (text: string) =>
  JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'query($t: String) { echo(text: $t) }', variables: { t: text } } });

test('a WebSocket message over MAX_REQUEST_BYTES closes the connection with 1009; one within it is served', async (t) => {
  const logged = t.mock.method(console, 'error', () => {}); // graphql-ws logs each refused message
  const { server, wsServer, url } = await startServer();
  try {
    assert.equal(wsServer.options.maxPayload, 100 * 1024 * 1024, "ws's default until a client upgrades");
    const within = await connect(url);
    assert.equal(wsServer.options.maxPayload, LIMIT);
    const fits = subscribe('x'.repeat(LIMIT - 200));
    assert.ok(Buffer.byteLength(fits) <= LIMIT);
    within.socket.send(fits);
    while (!within.messages.some((m) => m.type === 'next')) await new Promise((r) => setTimeout(r, 10));
    assert.equal(within.messages.find((m) => m.type === 'next')?.payload?.data?.echo?.length, LIMIT - 200);
    within.socket.close();

    const over = await connect(url);
    const started = Date.now();
    over.socket.send(subscribe('x'.repeat(LIMIT)));
    assert.equal(await over.closed, 1009);
    assert.ok(!over.messages.some((m) => m.type === 'next'), 'never answered');

    const huge = await connect(url);
    huge.socket.send(subscribe('x'.repeat(30 << 20))); // refused from the frame header, not buffered
    assert.equal(await huge.closed, 1009);
    assert.ok(Date.now() - started < 5000);
    assert.match(String(logged.mock.calls[0]?.arguments[1]), /Max payload size exceeded/);
  } finally {
    for (const client of wsServer.clients) client.terminate();
    wsServer.close();
    server.close();
  }
});

test('a server made with a smaller maxPayload keeps it; setting the limit again changes it', async () => {
  const { WebSocketServer } = await import('ws');
  limitWebSocketMessages(LIMIT);
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const strict = new WebSocketServer({ server, maxPayload: 100 });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const client = new WebSocket(url);
    client.on('error', () => {});
    await once(client, 'open');
    assert.equal(strict.options.maxPayload, 100);
    limitWebSocketMessages(50);
    const second = new WebSocket(url);
    second.on('error', () => {});
    await once(second, 'open');
    assert.equal(strict.options.maxPayload, 50);
    client.terminate();
    second.terminate();
  } finally {
    limitWebSocketMessages(LIMIT);
    strict.close();
    server.close();
  }
});
