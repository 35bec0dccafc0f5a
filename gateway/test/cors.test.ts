import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corsFor, originMatcher, parseOriginRule } from '../src/cors.ts';

test('an exact origin and any port of a host', () => {
  const allowed = originMatcher(['https://app.example.com', 'http://localhost:*']);
  assert.equal(allowed('https://app.example.com'), true);
  assert.equal(allowed('https://app.example.com:8443'), false);
  assert.equal(allowed('http://localhost:3000'), true);
  assert.equal(allowed('http://localhost'), true);
  assert.equal(allowed('https://localhost:3000'), false);
  assert.equal(allowed('not a url'), false);
});

test('wildcards other than a port are refused', () => {
  assert.throws(() => parseOriginRule('*'), /not allowed/);
  assert.throws(() => parseOriginRule('https://*.example.com'), /not allowed/);
});

test('no CORS headers for an origin that is not listed', () => {
  const cors = corsFor(['https://app.example.com']);
  assert.equal(cors(new Request('http://gw/graphql', { headers: { origin: 'https://evil.example' } })), false);
  const allowed = cors(new Request('http://gw/graphql', { headers: { origin: 'https://app.example.com' } }));
  assert.ok(allowed);
  assert.deepEqual(allowed.origin, ['https://app.example.com']);
});
