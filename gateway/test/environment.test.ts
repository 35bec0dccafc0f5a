import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEV_JWT_SECRET, readSettings } from '../src/environment.ts';

test('defaults are the development set-up', () => {
  const settings = readSettings({}, '/srv/gateway');
  assert.equal(settings.port, 4000);
  assert.equal(settings.supergraph, '/srv/schema/supergraph.graphql');
  assert.equal(settings.usersUrl, 'http://localhost:8081/graphql');
  assert.equal(settings.auth.secret, DEV_JWT_SECRET);
  assert.deepEqual(settings.entityCache, { ttlMs: 1000, maxEntries: 10000 });
  assert.equal(settings.sharedSubscriptions.enabled, true);
  assert.ok(settings.corsOrigins.includes('http://localhost:*'));
});

test('production refuses the development secret and allows no origin by default', () => {
  assert.throws(() => readSettings({ NODE_ENV: 'production' }), /AUTH_JWT_SECRET/);
  const settings = readSettings({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) });
  assert.deepEqual(settings.corsOrigins, []);
  assert.equal(readSettings({ NODE_ENV: 'production', AUTH_JWT_ISSUER_URI: 'https://id.example.com' }).auth.issuer,
    'https://id.example.com');
});

test('bad numbers and flags are refused at start, with the variable named', () => {
  assert.throws(() => readSettings({ GATEWAY_PORT: 'abc' }), /GATEWAY_PORT/);
  assert.throws(() => readSettings({ MAX_DEPTH: '0' }), /MAX_DEPTH/);
  assert.throws(() => readSettings({ SHARED_SUBSCRIPTIONS: 'maybe' }), /SHARED_SUBSCRIPTIONS/);
  assert.throws(() => readSettings({ AUTH_JWT_SECRET: 'short' }), /32 bytes/);
});

test('the entity cache TTL can be turned off but never exceeds one second', () => {
  assert.equal(readSettings({ ENTITY_CACHE_TTL_MS: '0' }).entityCache.ttlMs, 0);
  assert.equal(readSettings({ ENTITY_CACHE_TTL_MS: '250' }).entityCache.ttlMs, 250);
  assert.equal(readSettings({ ENTITY_CACHE_TTL_MS: '5000' }).entityCache.ttlMs, 1000);
});
