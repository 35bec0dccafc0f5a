import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, type ExecutionResult } from 'graphql';
import { SingleFlightCache, entityFetch } from '../src/plugins/entity-cache.ts';
import { subgraphExecutorThrough, type SubgraphRequest } from './support/hooks.ts';

/** An entity fetch's answer in these tests. */
type Emails = ExecutionResult<{ _entities: { email: string | null }[] }>;

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
  now = 499;
  assert.equal(await cache.get('k', load), 'v1');
  now = 1000;
  assert.equal(await cache.get('k', load), 'v2');
});

test('an entry read in the second half of its life is refreshed in the background, so a key in use is never missed', async () => {
  let now = 0;
  const cache = new SingleFlightCache<string>(1000, 10, (v) => v !== 'refused', () => now);
  let version = 0;
  let next: string | undefined;
  const load = () => next ?? `v${++version}`;
  assert.equal(await cache.get('k', load), 'v1');
  now = 400;
  assert.equal(await cache.get('k', load), 'v1', 'first half: served, not loaded');
  assert.equal(version, 1);
  now = 600;
  assert.equal(await cache.get('k', load), 'v1', 'second half: still served at once, refreshed behind');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(version, 2);
  now = 1_050; // past the first result's life: the refreshed one, which arrived at 600, is served
  assert.equal(await cache.get('k', load), 'v2');
  assert.equal(version, 2);
  next = 'refused'; // a refused refresh leaves the entry to expire (at 1,600), then the next read loads again
  now = 1_200;
  assert.equal(await cache.get('k', load), 'v2');
  await new Promise((resolve) => setImmediate(resolve));
  now = 1_300;
  assert.equal(await cache.get('k', load), 'v2');
  next = undefined;
  now = 1_600;
  assert.equal(await cache.get('k', load), 'v3');
});

test("a scope never reads another scope's entry for the same fetch, and each caller gets its own copy", async () => {
  const { useEntityCache, SUBSCRIPTION_CONTEXT } = await import('../src/plugins/entity-cache.ts');
  const plugin = useEntityCache({ subgraphs: ['users'], ttlMs: 1000, maxEntries: 10 });
  const document = parse('query($r:[_Any!]!){ _entities(representations:$r){ ... on User { email } } }');
  const loads: string[] = [];
  // What users-service answers: the email to staff; to anyone else null with FORBIDDEN on that field.
  const usersService = async (request: SubgraphRequest) => {
    const scope = (request.context as { viewerScope: string }).viewerScope;
    loads.push(`${scope} ${(request.variables as { r: { id: string }[] }).r[0].id}`);
    return Promise.resolve(scope === 'staff'
      ? { data: { _entities: [{ email: 'ann@example.com' }] } }
      : { data: { _entities: [{ email: null }] }, errors: [{ message: 'no', path: ['_entities', 0, 'email'], extensions: { code: 'FORBIDDEN' } }] });
  };
  const fetchAs = async (viewerScope: string, id = 'VXNlcjox') => {
    const executionRequest = { document, variables: { r: [{ __typename: 'User', id }] }, context: { viewerScope, [SUBSCRIPTION_CONTEXT]: true } };
    const executor = await subgraphExecutorThrough([plugin], 'users', executionRequest, usersService);
    return (await executor(executionRequest)) as Emails;
  };
  const staff = await fetchAs('staff');
  assert.equal(staff.data!._entities[0].email, 'ann@example.com');
  const other = await fetchAs('user:2');
  assert.equal(other.data!._entities[0].email, null, "staff's entry is not user:2's");
  assert.equal(other.errors?.[0].extensions.code, 'FORBIDDEN');
  assert.equal((await fetchAs('user:2')).data!._entities[0].email, null, 'a FORBIDDEN answer is kept for its scope');
  await fetchAs('staff', 'VXNlcjoy');
  assert.deepEqual(loads, ['staff VXNlcjox', 'user:2 VXNlcjox', 'staff VXNlcjoy'], 'one load per scope and representation');

  staff.data!._entities[0].email = 'changed by one subscriber';
  assert.equal((await fetchAs('staff')).data!._entities[0].email, 'ann@example.com', 'callers do not share objects');
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
  const plugin = useEntityCache({ subgraphs: ['users'], ttlMs: 1000, maxEntries: 10 });
  const document = parse('query($r:[_Any!]!){ _entities(representations:$r){ ... on User { email } } }');
  const fetched: string[] = [];
  const run = async (scope: string, subgraphName = 'users', subscription = true) => {
    const context = { viewerScope: scope, [SUBSCRIPTION_CONTEXT]: subscription };
    const executionRequest = { document, variables: { r: [{ __typename: 'User', id: 'VXNlcjox' }] }, context };
    const subgraph = async (request: SubgraphRequest) => {
      const { viewerScope } = request.context as { viewerScope: string };
      fetched.push(viewerScope);
      return { data: { _entities: [{ email: `seen by ${viewerScope}` }] } };
    };
    const executor = await subgraphExecutorThrough([plugin], subgraphName, executionRequest, subgraph);
    return (await executor(executionRequest)) as Emails;
  };
  assert.equal((await run('staff')).data!._entities[0].email, 'seen by staff');
  assert.equal((await run('user:2')).data!._entities[0].email, 'seen by user:2');
  assert.equal((await run('staff')).data!._entities[0].email, 'seen by staff');
  assert.deepEqual(fetched, ['staff', 'user:2']);
  await run('staff', 'users', false); // a query's fetch: not cached
  await run('staff', 'orders'); // another subgraph: not cached
  assert.deepEqual(fetched, ['staff', 'user:2', 'staff', 'staff']);
});
