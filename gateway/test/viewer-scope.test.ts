import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, scopeOf } from '../src/plugins/viewer-scope.ts';

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
