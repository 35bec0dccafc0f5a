import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'graphql';
import { SingleFlightCache, entityFetch } from '../src/plugins/entity-cache.ts';

test('concurrent misses of one key share one load', async () => {
  const cache = new SingleFlightCache<number>(1000, 10);
  let loads = 0;
  const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
  const results = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
  assert.deepEqual(results, [1, 1, 1]);
  assert.equal(loads, 1);
});

test('a result lives for the TTL after it arrived, then is loaded again', async () => {
  let now = 0;
  const cache = new SingleFlightCache<string>(1000, 10, () => true, () => now);
  let version = 0;
  const load = () => `v${++version}`;
  assert.equal(await cache.get('k', load), 'v1');
  now = 999;
  assert.equal(await cache.get('k', load), 'v1');
  now = 1000;
  assert.equal(await cache.get('k', load), 'v2');
});

test('keys never read each other', async () => {
  const cache = new SingleFlightCache<string>(1000, 10);
  assert.equal(await cache.get('staff\nusers\nq\n{}', () => 'staff email'), 'staff email');
  assert.equal(await cache.get('user:2\nusers\nq\n{}', () => 'hidden'), 'hidden');
});

test('failures and refused results are not kept', async () => {
  const cache = new SingleFlightCache<string>(1000, 10, (v) => v !== 'error');
  await assert.rejects(cache.get('a', () => Promise.reject(new Error('down'))));
  assert.equal(await cache.get('a', () => 'up'), 'up');
  assert.equal(await cache.get('b', () => 'error'), 'error');
  assert.equal(await cache.get('b', () => 'fine'), 'fine');
});

test('the number of entries stays bounded, oldest out first', async () => {
  const cache = new SingleFlightCache<number>(1000, 3);
  for (let i = 0; i < 10; i++) await cache.get(`k${i}`, () => i);
  assert.equal(cache.size, 3);
  assert.equal(await cache.get('k9', () => -1), 9);
  assert.equal(await cache.get('k0', () => -1), -1);
});

test('only queries of _entities are entity fetches', () => {
  assert.ok(entityFetch(parse('query($r:[_Any!]!){ _entities(representations:$r){ ... on User { username } } }')));
  assert.equal(entityFetch(parse('{ users { edges { node { id } } } }')), null);
  assert.equal(entityFetch(parse('{ _entities(representations: []) { __typename } me { id } }')), null);
  assert.equal(entityFetch(parse('mutation { updateUser(input: {id: "x"}) { errors { field } } }')), null);
});

test('the plugin fetches once per scope: staff and each user have entries of their own', async () => {
  const { useEntityCache, SUBSCRIPTION_CONTEXT } = await import('../src/plugins/entity-cache.ts');
  const plugin = useEntityCache({ subgraphs: ['users'], ttlMs: 1000, maxEntries: 10 }) as any;
  const document = parse('query($r:[_Any!]!){ _entities(representations:$r){ ... on User { email } } }');
  const fetched: string[] = [];
  const run = async (scope: string, subgraphName = 'users', subscription = true) => {
    const context = { viewerScope: scope, [SUBSCRIPTION_CONTEXT]: subscription };
    const executionRequest = { document, variables: { r: [{ __typename: 'User', id: 'VXNlcjox' }] }, context };
    let executor = (request: any) => {
      fetched.push(request.context.viewerScope);
      return Promise.resolve({ data: { _entities: [{ email: `seen by ${request.context.viewerScope}` }] } });
    };
    plugin.onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor: (e: any) => (executor = e) });
    return executor(executionRequest);
  };
  assert.equal((await run('staff')).data._entities[0].email, 'seen by staff');
  assert.equal((await run('user:2')).data._entities[0].email, 'seen by user:2');
  assert.equal((await run('staff')).data._entities[0].email, 'seen by staff');
  assert.deepEqual(fetched, ['staff', 'user:2']);
  await run('staff', 'users', false); // a query's fetch: not cached
  await run('staff', 'orders'); // another subgraph: not cached
  assert.deepEqual(fetched, ['staff', 'user:2', 'staff', 'staff']);
});
