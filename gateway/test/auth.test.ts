import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, clientAuthorization, scopeOf, tokenExpiry, verifiedClaims, viewerId, viewerScope } from '../src/auth.ts';

test('a WebSocket client token wins over the upgrade request header, in either casing', () => {
  const request = new Request('http://gw/graphql', { headers: { authorization: 'Bearer header' } });
  assert.equal(clientAuthorization({ connectionParams: { Authorization: 'Bearer payload' } }, request), 'Bearer payload');
  assert.equal(clientAuthorization({ connectionParams: { authorization: 'Bearer lower' } }, request), 'Bearer lower');
  assert.equal(clientAuthorization({}, request), 'Bearer header');
  assert.equal(clientAuthorization({}), undefined);
});

test('staff share one scope; a user is a scope of their own', () => {
  assert.equal(scopeOf({ sub: '4', roles: ['staff'] }), 'staff');
  assert.equal(scopeOf({ sub: '7', roles: ['staff', 'other'] }), 'staff');
  assert.equal(scopeOf({ sub: '1', roles: [] }), 'user:1');
  assert.equal(scopeOf({ sub: '1' }), 'user:1');
});

test('a sub that is not a user id has no scope', () => {
  for (const sub of ['abc', '0', '-1', '01', '1.5', '', '99999999999999999999', '9223372036854775808', undefined, 12]) {
    assert.equal(scopeOf({ sub, roles: ['staff'] }), null, String(sub));
  }
  assert.equal(scopeOf({ sub: '9223372036854775807' }), 'user:9223372036854775807');
});

test('only a Bearer value carries a token', () => {
  assert.equal(bearerToken('Bearer abc.def.ghi'), 'abc.def.ghi');
  assert.equal(bearerToken('bearer   abc'), 'abc');
  assert.equal(bearerToken('Basic abc'), null);
  assert.equal(bearerToken('abc'), null);
  assert.equal(bearerToken('Bearer a b'), null);
});

test("the verified token's claims are read from the context the JWT plugin extended, and only from there", () => {
  const context = { jwt: { payload: { sub: '7', exp: 1_900_000_000, roles: ['staff'] } }, viewerScope: 'staff' };
  assert.deepEqual(verifiedClaims(context), { sub: '7', exp: 1_900_000_000, roles: ['staff'] });
  assert.equal(tokenExpiry(context), 1_900_000_000);
  assert.equal(viewerId(context), '7');
  assert.equal(viewerScope(context), 'staff');
  for (const none of [undefined, null, {}, { jwt: {} }, { jwt: { payload: 'not claims' } }]) {
    assert.equal(verifiedClaims(none), undefined);
    assert.equal(tokenExpiry(none), undefined);
    assert.equal(viewerId(none), undefined);
    assert.equal(viewerScope(none), undefined);
  }
});

test('a token without exp, or whose sub is no string, has no expiry or viewer id', () => {
  assert.equal(tokenExpiry({ jwt: { payload: { sub: '1' } } }), undefined);
  assert.equal(tokenExpiry({ jwt: { payload: { exp: '1900000000' } } }), undefined);
  assert.equal(viewerId({ jwt: { payload: { sub: 12 } } }), undefined);
});
