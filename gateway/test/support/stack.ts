// A gateway started the way `npm start` starts it (`hive-gateway supergraph` in gateway/, reading
// gateway.config.ts), in front of two mock subgraphs that record every request they get (HTTP bodies,
// WebSocket `subscribe` messages) and answer as a test tells them to. Used by the tests that need the
// whole plugin chain: limits over HTTP, SSE and WebSocket, the signature the subgraphs receive, shared SSE
// subscriptions, token expiry.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';

export const GATEWAY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const JWT_SECRET = 'test-secret-of-the-gateway-tests-0123456789';
export const HMAC_SECRET = 'test-hmac-secret-of-the-gateway-tests-0123';
export const AUDIENCE = 'ordergraph-api';

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

/** A subscription a mock subgraph holds open: the test pushes results into it. */
export interface UpstreamSubscription {
  payload: GraphQLBody;
  next(result: unknown): void;
  complete(): void;
  /** Whether the gateway completed it (its client left), or the subgraph did. */
  readonly closed: boolean;
}

export interface MockSubgraph {
  url: string;
  /** Every HTTP request body received, in order. */
  requests: GraphQLBody[];
  /** Every subscription received over WebSocket, in order. */
  subscriptions: UpstreamSubscription[];
  /** Answers an HTTP request; by default `{ data: null }`. */
  answer: (body: GraphQLBody) => unknown;
  close(): Promise<void>;
}

/** A subgraph that answers over HTTP and graphql-transport-ws, as the tests tell it to. */
export async function startSubgraph(): Promise<MockSubgraph> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLBody;
    subgraph.requests.push(body);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(await subgraph.answer(body)));
  });
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  sockets.on('connection', (socket) => {
    const open = new Map<string, { closed: boolean }>();
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
      else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      else if (message.type === 'complete') {
        const state = open.get(message.id);
        if (state) state.closed = true;
      } else if (message.type === 'subscribe') {
        const state = { closed: false };
        open.set(message.id, state);
        subgraph.subscriptions.push({
          payload: message.payload,
          next(result) {
            if (!state.closed) socket.send(JSON.stringify({ id: message.id, type: 'next', payload: result }));
          },
          complete() {
            if (state.closed) return;
            state.closed = true;
            socket.send(JSON.stringify({ id: message.id, type: 'complete' }));
          },
          get closed() {
            return state.closed;
          },
        });
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const subgraph: MockSubgraph = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests: [],
    subscriptions: [],
    answer: () => ({ data: null }),
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
  return subgraph;
}

export interface Gateway {
  url: string;
  wsUrl: string;
  users: MockSubgraph;
  orders: MockSubgraph;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Starts `hive-gateway supergraph` with the given settings in front of two mock subgraphs; ready once it answers. */
export async function startGateway(settings: Record<string, string> = {}): Promise<Gateway> {
  const [users, orders, port] = await Promise.all([startSubgraph(), startSubgraph(), freePort()]);
  const child: ChildProcess = spawn(process.execPath, [resolve(GATEWAY_DIR, 'node_modules/@graphql-hive/gateway/dist/bin.js'), 'supergraph'], {
    cwd: GATEWAY_DIR,
    env: {
      PATH: process.env.PATH,
      GATEWAY_PORT: String(port),
      USERS_URL: users.url,
      ORDERS_URL: orders.url,
      AUTH_JWT_SECRET: JWT_SECRET,
      GATEWAY_HMAC_SECRET: HMAC_SECRET,
      AUTH_JWT_AUDIENCE: AUDIENCE,
      LOG_LEVEL: 'error',
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readiness`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the gateway did not get ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    wsUrl: url.replace('http://', 'ws://'),
    users,
    orders,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await Promise.all([users.close(), orders.close()]);
    },
  };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An HS256 token for user `sub` (staff when asked) for AUDIENCE, expiring in `ttlMs` (or without `exp` when null). */
export function token(sub: string, { staff = false, ttlMs = 3_600_000 as number | null, secret = JWT_SECRET, aud = AUDIENCE as string | undefined } = {}): string {
  const now = Date.now();
  const claims: Record<string, unknown> = { sub, roles: staff ? ['staff'] : [], iat: Math.floor(now / 1000) };
  if (ttlMs !== null) claims.exp = (now + ttlMs) / 1000; // fractional: the tests' lifetimes are shorter than a second
  if (aud) claims.aud = aud;
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A GraphQL response as clients receive it (parsed JSON). */
export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A graphql-transport-ws message as the gateway sends it. */
export interface WsMessage {
  id?: string;
  type: string;
  payload?: GraphQLResponse;
}

/** The codes of a response's errors, in order (none for anything that is not a response with errors). */
export function codesOf(response: unknown): unknown[] {
  const errors = (response as GraphQLResponse | undefined)?.errors;
  return Array.isArray(errors) ? errors.map((e) => e.extensions?.code) : [];
}

/** The value at `path` in parsed JSON, or `undefined` when it is not there. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A POST to the gateway; the parsed body and the status. */
export async function post(gateway: Gateway, body: GraphQLBody, bearer?: string): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** An SSE subscription: its events (parsed `next` payloads, then the string 'complete') as they come. */
export function sse(gateway: Gateway, body: GraphQLBody, bearer?: string) {
  const abort = new AbortController();
  const events: unknown[] = [];
  let wake: (() => void) | undefined;
  const done = (async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      signal: abort.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (\w+)/m.exec(block)?.[1];
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (event === 'next' && data) events.push(JSON.parse(data));
        else if (event === 'complete') events.push('complete');
        wake?.();
      }
    }
  })().catch(() => {}).finally(() => wake?.());
  return {
    events,
    /** The `index`th event, waiting up to `ms` for it. */
    async event(index: number, ms = 5000): Promise<unknown> {
      const deadline = Date.now() + ms;
      while (events.length <= index && Date.now() < deadline) {
        await Promise.race([new Promise<void>((r) => (wake = r)), new Promise((r) => setTimeout(r, 50))]);
      }
      return events[index];
    },
    close() {
      abort.abort();
      return done;
    },
  };
}

/** A graphql-transport-ws client: messages received, and the close code once closed. */
export async function wsClient(gateway: Gateway, bearer?: string) {
  const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
  const messages: WsMessage[] = [];
  let closeCode: number | undefined;
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolveClose) => socket.on('close', (code) => resolveClose((closeCode = code))));
  socket.on('error', () => {});
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: bearer ? { Authorization: `Bearer ${bearer}` } : {} }));
  const waitFor = async (predicate: (m: WsMessage) => unknown, ms = 5000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = messages.find(predicate);
      if (found || Date.now() > deadline || closeCode !== undefined) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await waitFor((m) => m.type === 'connection_ack');
  return {
    socket,
    messages,
    closed,
    subscribe(id: string, payload: GraphQLBody) {
      socket.send(JSON.stringify({ id, type: 'subscribe', payload }));
    },
    complete(id: string) {
      socket.send(JSON.stringify({ id, type: 'complete' }));
    },
    waitFor,
    close() {
      socket.close();
    },
  };
}

/** Waits until `condition` holds (up to `ms`), polling. */
export async function until(condition: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
