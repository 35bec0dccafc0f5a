import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAuthorization, upstreamErrorsResult } from '../src/plugins/subscription-authorization.ts';

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
