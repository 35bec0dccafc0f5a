import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAuthorization, interruptedResult, upstreamErrorsResult } from '../src/plugins/subscription-authorization.ts';

test('a WebSocket client token wins over the upgrade request header, in either casing', () => {
  const request = new Request('http://gw/graphql', { headers: { authorization: 'Bearer header' } });
  assert.equal(clientAuthorization({ connectionParams: { Authorization: 'Bearer payload' } }, request), 'Bearer payload');
  assert.equal(clientAuthorization({ connectionParams: { authorization: 'Bearer lower' } }, request), 'Bearer lower');
  assert.equal(clientAuthorization({}, request), 'Bearer header');
  assert.equal(clientAuthorization({}), undefined);
});

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
