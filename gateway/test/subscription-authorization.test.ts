import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, type ExecutionResult } from 'graphql';
import { useSubscriptionAuthorization } from '../src/plugins/subscription-authorization.ts';
import {
  interruptedResult,
  MAX_UPSTREAM_SUBSCRIBE_CHARS,
  oversizedSubscription,
  subscriptionsOverWebSocket,
  upstreamErrorsResult,
  upstreamLane,
} from '../src/upstream-subscriptions.ts';
import { subgraphExecutorThrough, type SubgraphRequest } from './support/hooks.ts';

test('an upstream error message keeps its code instead of becoming "Unexpected error."', () => {
  const relayed = upstreamErrorsResult([{ message: 'behind', extensions: { code: 'SLOW_CONSUMER' } }]);
  assert.equal(relayed?.errors[0].message, 'behind');
  assert.equal(relayed?.errors[0].extensions.code, 'SLOW_CONSUMER');
  assert.equal(upstreamErrorsResult(new Error('x')), null);
  assert.equal(upstreamErrorsResult({ code: 1006, reason: '' }), null);
  assert.equal(upstreamErrorsResult([]), null);
});

test('a subgraph that went away is a coded error that says how to resume, and names no internal address', () => {
  const logged: unknown[] = [];
  const context = { log: { warn: (...args: unknown[]) => logged.push(args) } };
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8082'), { code: 'ECONNREFUSED' });
  for (const cause of [refused, { code: 1006, reason: '' }, { message: 'connect ECONNREFUSED 10.0.0.7:8082' }]) {
    const [error] = interruptedResult(cause, 'orders', context).errors;
    assert.equal(error.extensions.code, 'DOWNSTREAM_SERVICE_ERROR');
    assert.match(error.message, /`after`/);
    assert.doesNotMatch(error.message, /ECONNREFUSED|127\.0\.0\.1|10\.0\.0\.7|8082/);
  }
  assert.equal(logged.length, 3, 'the cause is logged instead');
});

test('clients share a few upstream connections: a token keeps its lane, and tokens spread over all of them', () => {
  assert.equal(upstreamLane('Bearer a.b.c', 8), upstreamLane('Bearer a.b.c', 8));
  const lanes = new Set(Array.from({ length: 200 }, (_, i) => upstreamLane(`Bearer token-${i}`, 8)));
  assert.deepEqual([...lanes].sort(), ['0', '1', '2', '3', '4', '5', '6', '7']);
  assert.equal(upstreamLane(undefined, 8), upstreamLane('', 8));
  assert.equal(upstreamLane('Bearer x', 1), '0');
  const params = subscriptionsOverWebSocket('http://orders/graphql').options.connectionParams;
  assert.deepEqual(Object.keys(params), ['lane'], 'no token on the shared connection');
});

test("each subscription sent to a subgraph carries its client's token, and no propagated headers", async () => {
  const plugin = useSubscriptionAuthorization(8);
  const onSubgraph = async (document: string, extensions?: Record<string, unknown>) => {
    const executionRequest: SubgraphRequest = {
      document: parse(document),
      extensions,
      context: { forwardedAuthorization: 'Bearer viewer-token' },
    };
    await subgraphExecutorThrough([plugin], 'orders', executionRequest, async () => ({}));
    return executionRequest.extensions;
  };
  assert.deepEqual(await onSubgraph('subscription { orderChanges { cursor } }', { headers: { authorization: 'Bearer viewer-token' }, other: 1 }),
    { other: 1, authorization: 'Bearer viewer-token' });
  assert.deepEqual(await onSubgraph('subscription { orderChanges { cursor } }'), { authorization: 'Bearer viewer-token' });
  assert.equal((await onSubgraph('{ orders { totalCount } }', { headers: {} }))?.authorization, undefined, 'queries keep HTTP headers');
});

test('a subscription too large for the shared connection is refused at the gateway, before it reaches the lane', () => {
  const document = parse('subscription($after: String) { orderChanges(after: $after) { cursor } }');
  assert.equal(oversizedSubscription({ document, variables: { after: 'x'.repeat(200) }, extensions: { authorization: 'Bearer t' } }), null);
  const refused = oversizedSubscription({ document, variables: { after: 'x'.repeat(MAX_UPSTREAM_SUBSCRIBE_CHARS) } });
  assert.equal(refused?.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.match(refused!.errors[0].message, /too large/);
});

test('a subgraph that closes the shared connection, with any code, is an interruption to resume from', async () => {
  const plugin = useSubscriptionAuthorization(8);
  for (const code of [4401, 4403, 1009, 1006]) {
    const executionRequest: SubgraphRequest = {
      document: parse('subscription { orderChanges { cursor } }'),
      context: { forwardedAuthorization: 'Bearer t', log: { warn: () => {} } },
    };
    const wrapped = await subgraphExecutorThrough([plugin], 'orders', executionRequest, async () => { throw { code, reason: '' }; });
    const result = (await wrapped(executionRequest)) as ExecutionResult;
    assert.equal(result.errors?.[0].extensions.code, 'DOWNSTREAM_SERVICE_ERROR', `close ${code}`);
  }
});
