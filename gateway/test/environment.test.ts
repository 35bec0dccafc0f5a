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
  assert.deepEqual(settings.operationCost, { maxCost: 50000, defaultListSize: 1000, maxPageSize: 100, subscriptionMaxBatch: 1000 });
  assert.equal(settings.maxAliases, 30);
  assert.equal(settings.maxMutationFields, 25);
  assert.equal(settings.auth.audience, undefined);
  assert.equal(settings.auth.requireExp, true);
  assert.equal(settings.hmacSecret, undefined, 'no signing outside production unless asked');
});

test('limits, token rules and the signing secret are read from the environment', () => {
  const settings = readSettings({
    MAX_PAGE_SIZE: '50', SUBSCRIPTION_MAX_BATCH: '200', MAX_ALIASES: '5', MAX_MUTATION_FIELDS: '3',
    AUTH_JWT_AUDIENCE: 'ordergraph', AUTH_JWT_REQUIRE_EXP: 'false', GATEWAY_HMAC_SECRET: 'h'.repeat(32),
  });
  assert.equal(settings.operationCost.maxPageSize, 50);
  assert.equal(settings.operationCost.subscriptionMaxBatch, 200);
  assert.equal(settings.maxAliases, 5);
  assert.equal(settings.maxMutationFields, 3);
  assert.equal(settings.auth.audience, 'ordergraph');
  assert.equal(settings.auth.requireExp, false);
  assert.equal(settings.hmacSecret, 'h'.repeat(32));
});

const PRODUCTION = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), GATEWAY_HMAC_SECRET: 'h'.repeat(32) };

test('production refuses the development secret and allows no origin by default', () => {
  assert.throws(() => readSettings({ ...PRODUCTION, AUTH_JWT_SECRET: undefined }), /AUTH_JWT_SECRET/);
  const settings = readSettings(PRODUCTION);
  assert.deepEqual(settings.corsOrigins, []);
  assert.equal(readSettings({ ...PRODUCTION, AUTH_JWT_ISSUER_URI: 'https://id.example.com' }).auth.issuer,
    'https://id.example.com');
});

test('production refuses to start without a secret to sign upstream requests with', () => {
  assert.throws(() => readSettings({ ...PRODUCTION, GATEWAY_HMAC_SECRET: undefined }), /NODE_ENV=production needs GATEWAY_HMAC_SECRET/);
  assert.throws(() => readSettings({ ...PRODUCTION, GATEWAY_HMAC_SECRET: '  ' }), /GATEWAY_HMAC_SECRET/);
  assert.throws(() => readSettings({ GATEWAY_HMAC_SECRET: 'short' }), /GATEWAY_HMAC_SECRET must be at least 32 bytes/);
});

test('bad numbers and flags are refused at start, with the variable named', () => {
  assert.throws(() => readSettings({ GATEWAY_PORT: 'abc' }), /GATEWAY_PORT/);
  assert.throws(() => readSettings({ MAX_DEPTH: '0' }), /MAX_DEPTH/);
  assert.throws(() => readSettings({ SHARED_SUBSCRIPTIONS: 'maybe' }), /SHARED_SUBSCRIPTIONS/);
  assert.throws(() => readSettings({ AUTH_JWT_SECRET: 'short' }), /32 bytes/);
  assert.throws(() => readSettings({ MAX_PAGE_SIZE: '0' }), /MAX_PAGE_SIZE/);
  assert.throws(() => readSettings({ SUBSCRIPTION_MAX_BATCH: '-1' }), /SUBSCRIPTION_MAX_BATCH/);
  assert.throws(() => readSettings({ MAX_ALIASES: 'many' }), /MAX_ALIASES/);
  assert.throws(() => readSettings({ MAX_MUTATION_FIELDS: '2.5' }), /MAX_MUTATION_FIELDS/);
  assert.throws(() => readSettings({ AUTH_JWT_REQUIRE_EXP: 'no' }), /AUTH_JWT_REQUIRE_EXP/);
});

test('the entity cache TTL can be turned off but never exceeds one second', () => {
  assert.equal(readSettings({ ENTITY_CACHE_TTL_MS: '0' }).entityCache.ttlMs, 0);
  assert.equal(readSettings({ ENTITY_CACHE_TTL_MS: '250' }).entityCache.ttlMs, 250);
  assert.equal(readSettings({ ENTITY_CACHE_TTL_MS: '5000' }).entityCache.ttlMs, 1000);
});
