// The gateway as `npm start` runs it (hive-gateway supergraph + gateway.config.ts), in front of mock
// subgraphs that record what they receive: the limits on every road, the signature the subgraphs verify,
// SSE subscriptions under WebSocket's rules, and subscriptions that end with their token.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { defaultParamsSerializer } from '@graphql-hive/gateway';
import {
  HMAC_SECRET,
  at,
  codesOf,
  post,
  sse,
  startGateway,
  token,
  until,
  wsClient,
  type Gateway,
  type GraphQLBody,
  type GraphQLResponse,
} from './support/stack.ts';

let gateway: Gateway;
const PER_VIEWER = 3;

before(async () => {
  gateway = await startGateway({ MAX_SUBSCRIPTIONS_PER_VIEWER: String(PER_VIEWER), SERVER_TIMING: 'true' });
  gateway.users.answer = (body) =>
    body.query.includes('_entities')
      ? { data: { _entities: (body.variables!.representations as unknown[]).map(() => ({ __typename: 'User', username: 'ann' })) } }
      : { data: { me: { username: 'ann' }, user: { username: 'ann' } } };
});
after(() => gateway?.stop());

const CHANGE = (id: number) => ({
  action: 'UPDATED',
  order: { __typename: 'Order', id: Buffer.from(`Order:${id}`).toString('base64'), user: { __typename: 'User', id: 'VXNlcjox' } },
});
// A batch as orders-service answers the gateway's `orderChanges: orderChangeBatches(...)` (batched-change-stream.ts):
// under the response key, with the cursor a shared stream asks for under its own key (resumable-subscription.ts).
const BATCH = (...ids: number[]) => ({ data: { orderChanges: { _resumeCursor: `c${ids.at(-1)}`, changes: ids.map(CHANGE) } } });
const SUBSCRIPTION = 'subscription { orderChanges { action order { id user { username } } } }';

/** Canonical JSON as a verifier writes it (json-stable-stringify): keys sorted at every level, no spaces. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonical(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Verifies a request as a subgraph does: HMAC-SHA256 of canonical `{ query, variables }`, variables left out when empty. */
function verify(body: GraphQLBody): boolean {
  const variables = body.variables && Object.keys(body.variables).length > 0 ? body.variables : undefined;
  const signed = canonical({ query: body.query, variables });
  assert.equal(signed, defaultParamsSerializer({ query: body.query, variables }), "the same bytes as Yoga's verifier signs");
  const expected = createHmac('sha256', HMAC_SECRET).update(signed).digest('base64');
  return body.extensions?.['hmac-signature'] === expected;
}

test('every request to a subgraph is signed over the query and variables the subgraph receives', async () => {
  const viewer = token('1');
  gateway.users.requests.length = 0;
  const named = await post(gateway, { query: 'query Profile($id: ID!) { user(id: $id) { username } }', variables: { id: 'VXNlcjox' }, operationName: 'Profile' }, viewer);
  assert.equal(at(named.body, 'data', 'user', 'username'), 'ann');
  const plain = await post(gateway, { query: '{ me { username } }' }, viewer);
  assert.equal(at(plain.body, 'data', 'me', 'username'), 'ann');
  const [withVariables, withoutVariables] = gateway.users.requests;
  assert.match(withVariables.query, /^query Profile\(/, 'named after the client operation before it was signed');
  assert.deepEqual(withVariables.variables, { id: 'VXNlcjox' });
  assert.ok(verify(withVariables), JSON.stringify(withVariables));
  assert.equal(withoutVariables.variables, undefined);
  assert.ok(verify(withoutVariables), JSON.stringify(withoutVariables));

  // A subscription: the WebSocket `subscribe` message carries the signature beside the token.
  const ws = await wsClient(gateway, viewer);
  const subscriptions = gateway.orders.subscriptions.length;
  ws.subscribe('signed', { query: 'subscription($f: OrderFilter) { orderChanges(filter: $f) { action order { id user { username } } } }', variables: { f: { state: 'PAID' } } });
  assert.ok(await until(() => gateway.orders.subscriptions.length > subscriptions));
  const upstream = gateway.orders.subscriptions.at(-1)!;
  // The gateway sets the batch size (batched-change-stream.ts): a full batch for this cheap selection.
  // A shared stream can be reopened just after its last change (shared-subscriptions.ts): from now on here.
  assert.match(upstream.payload.query, /orderChanges: orderChangeBatches\(after: \$_resumeAfter, filter: \$f, maxChanges: 1000\)/);
  assert.deepEqual(upstream.payload.variables, { f: { state: 'PAID' }, _resumeAfter: null });
  assert.equal(upstream.payload.extensions?.authorization, `Bearer ${viewer}`);
  assert.ok(verify(upstream.payload), JSON.stringify(upstream.payload));

  // The entity fetch an event makes is signed as well.
  gateway.users.requests.length = 0;
  upstream.next(BATCH(1));
  const event = await ws.waitFor((m) => m.id === 'signed');
  assert.equal(at(event, 'payload', 'data', 'orderChanges', 'order', 'user', 'username'), 'ann');
  assert.match(gateway.users.requests[0].query, /_entities/);
  assert.ok(verify(gateway.users.requests[0]));
  ws.close();
});

test('every refusal carries its code, over HTTP and over WebSocket, and reaches no subgraph', async () => {
  const viewer = token('1');
  const deep = '{ me { orders { edges { node { user { orders { edges { node { user { orders { edges { node { id } } } } } } } } } } } } }';
  const pages = (n: string) => `query($n: Int) { ${['a', 'b', 'c'].map((k) =>
    `${k}: orders(first: ${n}) { edges { node { user { orders(first: ${n}) { edges { node { id } } } } } } }`).join(' ')} }`;
  const refusals: Array<[string, GraphQLBody]> = [
    ['MAX_DEPTH_EXCEEDED', { query: deep }],
    ['MAX_TOKENS_EXCEEDED', { query: `{ ${'me { username } '.repeat(700)}}` }],
    ['MAX_ALIASES_EXCEEDED', { query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: me { username }`).join(' ')} }` }],
    ['COST_ESTIMATED_TOO_EXPENSIVE', { query: pages('$n'), variables: { n: 100 } }],
    ['COST_ESTIMATED_TOO_EXPENSIVE', { query: 'subscription { orderChanges { order { user { orders(first: 100) { edges { node { id } } } } } } }' }],
  ];
  const calls = () => gateway.users.requests.length + gateway.orders.requests.length + gateway.orders.subscriptions.length;
  const before = calls();
  for (const [code, body] of refusals) {
    const http = body.query.startsWith('subscription')
      ? { body: (await sse(gateway, body, viewer).event(0)) as GraphQLResponse }
      : await post(gateway, body, viewer);
    assert.deepEqual(codesOf(http.body), [code], `HTTP: ${JSON.stringify(http.body)}`);
    const ws = await wsClient(gateway, viewer);
    ws.subscribe('refused', body);
    const answer = await ws.waitFor((m) => m.id === 'refused');
    assert.deepEqual(codesOf(answer?.payload), [code], `WebSocket: ${JSON.stringify(answer)}`);
    ws.close();
  }
  const mutations = `mutation { ${Array.from({ length: 26 }, (_, i) => `m${i}: updateUser(input: { id: "VXNlcjox" }) { clientMutationId }`).join(' ')} }`;
  const tooMany = await post(gateway, { query: mutations }, viewer);
  assert.deepEqual(codesOf(tooMany.body), ['TOO_MANY_MUTATIONS']);
  // Over WebSocket no mutation runs at all: Yoga takes mutations in POST requests only, and the CLI hands
  // graphql-ws the upgrade (a GET) as the request.
  const wsMutation = await wsClient(gateway, viewer);
  wsMutation.subscribe('mutation', { query: 'mutation { updateUser(input: { id: "VXNlcjox" }) { clientMutationId } }' });
  const refusedMutation = await wsMutation.waitFor((m) => m.id === 'mutation');
  assert.deepEqual(codesOf(refusedMutation?.payload), ['BAD_REQUEST']);
  wsMutation.close();
  const body = JSON.stringify({ query: '{ me { username } }', variables: { pad: 'x'.repeat(110_000) } });
  const tooLarge = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(tooLarge.status, 413);
  assert.equal((await tooLarge.json()).errors[0].extensions.code, 'REQUEST_TOO_LARGE');
  assert.equal(calls(), before, 'no subgraph was called');

  // Within the limits the same request is sent on: a null page size is the service's default of 20.
  const sent = gateway.orders.requests.length;
  await post(gateway, { query: pages('$n'), variables: { n: null } }, viewer);
  assert.equal(gateway.orders.requests.length, sent + 1);
});

test("a WebSocket message over MAX_REQUEST_BYTES closes the CLI's connection with 1009, and the gateway goes on", async () => {
  const ws = await wsClient(gateway, token('1'));
  ws.subscribe('big', { query: '{ me { username } }', variables: { pad: 'x'.repeat(2 << 20) } });
  assert.equal(await ws.closed, 1009);
  assert.equal(ws.messages.find((m) => m.id === 'big'), undefined);
  const next = await wsClient(gateway, token('1'));
  next.subscribe('small', { query: '{ me { username } }' });
  assert.equal(at(await next.waitFor((m) => m.id === 'small'), 'payload', 'data', 'me', 'username'), 'ann');
  next.close();
});

test('tokens without exp, or for another audience, are refused with UNAUTHENTICATED', async () => {
  for (const bad of [token('1', { ttlMs: null }), token('1', { aud: 'another-api' }), token('1', { aud: '' })]) {
    const response = await post(gateway, { query: '{ me { username } }' }, bad);
    assert.deepEqual(codesOf(response.body), ['UNAUTHENTICATED'], JSON.stringify(response.body));
  }
});

test("SSE subscriptions count against the viewer's cap with their WebSocket ones", async () => {
  const viewer = token('21');
  const ws = await wsClient(gateway, viewer);
  ws.subscribe('a', { query: SUBSCRIPTION });
  const open = [sse(gateway, { query: 'subscription { orderChanges(filter: { state: PAID }) { action } }' }, viewer),
    sse(gateway, { query: 'subscription { orderChanges(filter: { state: UNPAID }) { action } }' }, viewer)];
  await new Promise((r) => setTimeout(r, 300));
  const past = sse(gateway, { query: SUBSCRIPTION }, viewer);
  const refused = await past.event(0);
  assert.equal(codesOf(refused)[0], 'TOO_MANY_SUBSCRIPTIONS', JSON.stringify(refused));
  assert.equal(await past.event(1), 'complete');
  await open[0].close();
  await new Promise((r) => setTimeout(r, 200));
  const again = sse(gateway, { query: SUBSCRIPTION }, viewer);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(again.events.length, 0, 'a place given back is a place to take again');
  await Promise.all([again.close(), open[1].close()]);
  ws.close();
});

test('identical SSE subscriptions share one upstream subscription; one client leaving ends only its own stream', async () => {
  const viewer = token('22');
  const subscriptions = gateway.orders.subscriptions.length;
  const first = sse(gateway, { query: SUBSCRIPTION }, viewer);
  assert.ok(await until(() => gateway.orders.subscriptions.length > subscriptions));
  const second = sse(gateway, { query: SUBSCRIPTION }, viewer);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(gateway.orders.subscriptions.length, subscriptions + 1, 'one upstream subscription for both');
  const upstream = gateway.orders.subscriptions.at(-1)!;
  upstream.next(BATCH(1));
  for (const client of [first, second]) assert.equal(at(await client.event(0), 'data', 'orderChanges', 'order', 'id'), 'T3JkZXI6MQ==');

  await first.close(); // the opener goes away
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(upstream.closed, false);
  upstream.next(BATCH(2));
  assert.equal(at(await second.event(1), 'data', 'orderChanges', 'order', 'id'), 'T3JkZXI6Mg==');
  await second.close();
  assert.ok(await until(() => upstream.closed), 'the last one out ends the upstream subscription');
});

test('a subscription ends when its token expires, over WebSocket and SSE: one TOKEN_EXPIRED, then complete; the stream they shared goes on under a token that lasts', async () => {
  const lifetime = 800;
  const expiring = token('23', { ttlMs: lifetime });
  const expiresAt = Date.now() + lifetime;
  const lasting = token('23');
  const subscriptions = gateway.orders.subscriptions.length;
  const ws = await wsClient(gateway, expiring);
  ws.subscribe('expiring', { query: SUBSCRIPTION });
  assert.ok(await until(() => gateway.orders.subscriptions.length > subscriptions));
  const stream = sse(gateway, { query: SUBSCRIPTION }, expiring);
  const control = await wsClient(gateway, lasting);
  control.subscribe('control', { query: SUBSCRIPTION });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(gateway.orders.subscriptions.length, subscriptions + 1, 'all three share one stream, whatever their expiry');
  const first = gateway.orders.subscriptions.at(-1)!;
  assert.equal(first.payload.extensions?.authorization, `Bearer ${expiring}`, "under the opener's token");
  first.next(BATCH(1));
  assert.ok(await ws.waitFor((m) => m.id === 'expiring' && m.type === 'next'));
  assert.ok(await stream.event(0));
  assert.ok(await control.waitFor((m) => m.id === 'control' && m.type === 'next'));

  // Before the opener's token expires the stream moves to the lasting token, just after the last change.
  assert.ok(await until(() => gateway.orders.subscriptions.length === subscriptions + 2));
  assert.ok(Date.now() < expiresAt, 'before the token expired');
  const second = gateway.orders.subscriptions.at(-1)!;
  assert.equal(second.payload.extensions?.authorization, `Bearer ${lasting}`);
  assert.equal(second.payload.variables?._resumeAfter, 'c1');
  assert.ok(await until(() => first.closed), "the opener's upstream subscription is ended");

  const expired = await ws.waitFor((m) => m.id === 'expiring' && m.payload?.errors, 3000);
  assert.ok(Date.now() >= expiresAt - 5, 'not before the token expired');
  assert.deepEqual(expired?.payload, { errors: [{ message: 'Your token expired; renew it and subscribe again with after: <last cursor>.', extensions: { code: 'TOKEN_EXPIRED' } }] });
  assert.ok(await ws.waitFor((m) => m.id === 'expiring' && m.type === 'complete'));
  assert.equal(codesOf(await stream.event(1))[0], 'TOKEN_EXPIRED');
  assert.equal(await stream.event(2), 'complete');

  second.next(BATCH(2)); // committed after the expiry
  const delivered = await control.waitFor((m) => m.id === 'control' && at(m.payload, 'data', 'orderChanges', 'order', 'id') === 'T3JkZXI6Mg==');
  assert.ok(delivered, 'the client whose token is good goes on');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(ws.messages.filter((m) => m.id === 'expiring').length, 3, 'the event, the error, complete: nothing after');
  assert.equal(stream.events.length, 3);
  assert.equal(control.messages.filter((m) => m.id === 'control' && m.type === 'next').length, 2, 'each change once');
  ws.close();
  control.close();
  await stream.close();
});

test("a subscription event whose user fields failed does not pass its error on to the next event", async () => {
  const viewer = token('24');
  const subscriptions = gateway.orders.subscriptions.length;
  const ws = await wsClient(gateway, viewer);
  ws.subscribe('flaky', { query: SUBSCRIPTION });
  assert.ok(await until(() => gateway.orders.subscriptions.length > subscriptions));
  const upstream = gateway.orders.subscriptions.at(-1)!;
  const answer = gateway.users.answer;
  gateway.users.answer = () => ({ data: { _entities: [null] }, errors: [{ message: 'users-service is down', path: ['_entities', 0] }] });
  upstream.next(BATCH(7));
  const failed = await ws.waitFor((m) => m.id === 'flaky' && m.type === 'next');
  assert.ok((failed?.payload?.errors as unknown[] | undefined)?.length, JSON.stringify(failed));
  gateway.users.answer = answer; // users-service is back
  upstream.next(BATCH(8));
  const next = await ws.waitFor((m) => m.id === 'flaky' && m.type === 'next' && m !== failed);
  assert.equal(at(next, 'payload', 'data', 'orderChanges', 'order', 'user', 'username'), 'ann');
  assert.equal(next?.payload?.errors, undefined, JSON.stringify(next));
  ws.close();
});

test("a subscription that its subgraph ends with an error gets that error alone, not the last change again", async () => {
  const viewer = token('25');
  const subscriptions = gateway.orders.subscriptions.length;
  const ws = await wsClient(gateway, viewer);
  ws.subscribe('cut', { query: SUBSCRIPTION });
  assert.ok(await until(() => gateway.orders.subscriptions.length > subscriptions));
  const upstream = gateway.orders.subscriptions.at(-1)!;
  upstream.next(BATCH(9));
  assert.ok(await ws.waitFor((m) => m.id === 'cut' && m.type === 'next'));
  upstream.next({ errors: [{ message: 'This subscription fell behind.', extensions: { code: 'SLOW_CONSUMER' } }] });
  upstream.complete();
  assert.ok(await ws.waitFor((m) => m.id === 'cut' && m.type === 'complete'));
  const events = ws.messages.filter((m) => m.id === 'cut' && m.type === 'next');
  assert.equal(events.length, 2, JSON.stringify(events));
  assert.equal(at(events[0], 'payload', 'data', 'orderChanges', 'order', 'id'), Buffer.from('Order:9').toString('base64'));
  assert.deepEqual(codesOf(events[1].payload), ['SLOW_CONSUMER']);
  assert.equal(at(events[1], 'payload', 'data', 'orderChanges', 'order', 'id'), undefined, 'the change is not delivered twice');
  ws.close();
});

test("with SERVER_TIMING a query's response tells the gateway's own time apart from the subgraphs'", async () => {
  const delay = 30;
  const answer = gateway.users.answer;
  gateway.users.answer = async (body) => {
    await new Promise((r) => setTimeout(r, delay));
    return answer(body);
  };
  try {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token('1')}` },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    assert.equal(at(await response.json(), 'data', 'me', 'username'), 'ann');
    const timing = response.headers.get('server-timing') ?? '';
    const dur = (name: string) => Number(new RegExp(`${name};dur=([0-9.]+)`).exec(timing)?.[1]);
    assert.ok(dur('subgraphs') >= delay - 1, timing);
    assert.ok(dur('gateway') >= 0 && dur('gateway') < dur('total'), timing);
    assert.ok(Math.abs(dur('total') - dur('gateway') - dur('subgraphs')) < 0.05, timing);
  } finally {
    gateway.users.answer = answer;
  }
});
