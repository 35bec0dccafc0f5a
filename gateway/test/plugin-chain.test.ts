import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSettings } from '../src/environment.ts';
import { pluginChain } from '../src/plugin-chain.ts';

/**
 * `before` must come before `after` in the list, when both are in it. Each reason is the one given at
 * the plugins' positions in src/plugin-chain.ts (and in the plugins' own comments).
 */
const CONSTRAINTS: [before: string, after: string, why: string][] = [
  ['request-size-limit', 'token-limit', 'an oversized body is refused before anything reads it'],
  ['token-limit', 'depth-limit', 'the parser stops at the token limit, before validation'],
  ['viewer-scope', 'operation-cost', 'a bad token is refused before the operation is priced'],
  ['viewer-scope', 'shared-subscriptions', 'sharing reads the verified scope'],
  ['viewer-scope', 'entity-cache', 'the cache reads the verified scope'],
  ['operation-cost', 'subscription-authorization', 'refused before any subgraph call'],
  ['operation-cost', 'paced-costly-streams', 'a refused subscription is not priced again for batches'],
  ['operation-cost', 'shared-subscriptions', 'a refused subscription opens no shared stream'],
  ['operation-cost', 'batched-change-stream', 'a refused subscription is not priced again for batches'],
  ['operation-cost', 'subscription-limits', 'a refused subscription takes no place under the caps'],
  ['paced-costly-streams', 'shared-subscriptions', "paces the subgraph's stream itself, pulled once for all"],
  ['shared-subscriptions', 'batched-change-stream', 'subscribers share batches and unroll them each'],
  ['shared-subscriptions', 'subscription-limits', 'counts what clients asked for, shared or not'],
  ['batched-change-stream', 'subscription-limits', 'counts client subscriptions, not batches'],
  ['shared-subscriptions', 'token-expiry', "ends each client's own consumer, not the shared stream"],
  ['subscription-limits', 'token-expiry', 'an expired subscription gives back its place under the caps'],
  ['subscription-authorization', 'upstream-signature', "signs the subscription's rebuilt extensions"],
  ['subgraph-operation-names', 'upstream-signature', 'signs the named document the subgraph receives'],
];

const ENV = { AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-bytes-0123456789', GATEWAY_HMAC_SECRET: 'a-test-hmac-secret-of-at-least-32-bytes-0123' };
const names = (env: Record<string, string>) => pluginChain(readSettings(env), { consumers: 0, streams: 0 }).map(({ name }) => name);

for (const [label, env] of [
  ['everything on', ENV],
  ['no sharing', { ...ENV, SHARED_SUBSCRIPTIONS: 'false' }],
  ['no signing', { AUTH_JWT_SECRET: ENV.AUTH_JWT_SECRET }],
] as const) {
  test(`the plugins keep their order constraints (${label})`, () => {
    const order = names(env);
    assert.equal(new Set(order).size, order.length, 'each plugin once');
    for (const [before, after, why] of CONSTRAINTS) {
      const a = order.indexOf(before);
      const b = order.indexOf(after);
      if (a < 0 || b < 0) continue;
      assert.ok(a < b, `${before} must come before ${after}: ${why}`);
    }
    assert.equal(order[0], 'request-size-limit');
  });
}

test('the upstream signature is last, and only with a secret; sharing only when enabled', () => {
  const all = names(ENV);
  assert.equal(all.at(-1), 'upstream-signature');
  for (const [before] of CONSTRAINTS) assert.ok(all.includes(before), `${before} is in the chain`);
  assert.ok(!names({ AUTH_JWT_SECRET: ENV.AUTH_JWT_SECRET }).includes('upstream-signature'));
  assert.ok(!names({ ...ENV, SHARED_SUBSCRIPTIONS: 'false' }).includes('shared-subscriptions'));
});
