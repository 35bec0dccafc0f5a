import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, getIntrospectionQuery, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { estimateCost, useOperationCost, type CostRules } from '../src/plugins/operation-cost.ts';

// The shapes of schema/api.graphql that pricing depends on: pages with and without a default size.
const schema = buildSchema(`
  type Query {
    getOrders: [Order!]!
    orders(first: Int = 20, after: String): OrderConnection!
    users(first: Int, after: String): UserConnection!
    me: User
  }
  type Subscription {
    getOrder: Order
    orderChanged(id: ID!): OrderChange!
    orderChanges(after: String): OrderChange!
    orderChangeBatches(after: String): OrderChangeBatch!
  }
  type OrderChangeBatch { changes: [OrderChange!]! cursor: String! }
  type OrderChange { order: Order! previous: Order cursor: String! }
  type OrderConnection { edges: [OrderEdge!]! }
  type OrderEdge { node: Order! }
  type UserConnection { edges: [UserEdge!]! }
  type UserEdge { node: User! }
  type Order { id: ID! user: User! }
  type User { id: ID! orders(first: Int = 20): OrderConnection! }
`);
const RULES: CostRules = { defaultListSize: 1000, maxPageSize: 100, subscriptionMaxBatch: 1000 };
const cost = (query: string, variables: Record<string, unknown> = {}, rules = RULES, on: GraphQLSchema = schema) =>
  estimateCost(on, parse(query), undefined, variables, rules);

test('a page counts its first, and each object under it once per item', () => {
  // 1 connection + 50 edges + 50 nodes + 50 users
  assert.equal(cost('{ orders(first: 50) { edges { node { id user { id } } } } }'), 151);
  assert.equal(cost('query($n: Int) { orders(first: $n) { edges { node { id } } } }', { n: 10 }), 21);
});

test('a page is capped at the largest the services serve (MAX_PAGE_SIZE)', () => {
  assert.equal(cost('{ orders(first: 5000) { edges { node { id } } } }'), 201);
  assert.equal(cost('query($n: Int) { orders(first: $n) { edges { node { id } } } }', { n: 5000 }), 201);
  assert.equal(cost('{ orders(first: 5000) { edges { node { id } } } }', {}, { ...RULES, maxPageSize: 10 }), 21);
});

test('a null variable counts as the schema default, the page the service serves for null (not 0)', () => {
  assert.equal(cost('query($n: Int) { orders(first: $n) { edges { node { id } } } }', { n: null }), 41);
  assert.equal(cost('{ orders(first: null) { edges { node { id } } } }'), 41);
});

test('a missing variable takes the default of its definition, else the argument is left out', () => {
  assert.equal(cost('query($n: Int = 7) { orders(first: $n) { edges { node { id } } } }', {}), 15);
  assert.equal(cost('query($n: Int = 7) { orders(first: $n) { edges { node { id } } } }', { n: null }), 41, 'an explicit null is null');
  assert.equal(cost('query($n: Int) { orders(first: $n) { edges { node { id } } } }', {}), 41);
});

test("an argument left out takes the schema's default; without one a page counts DEFAULT_LIST_SIZE, capped", () => {
  assert.equal(cost('{ orders { edges { node { id } } } }'), 41);
  assert.equal(cost('{ me { orders { edges { node { id } } } } }'), 42);
  assert.equal(cost('{ users { edges { node { id } } } }'), 201);
  assert.equal(cost('query($n: Int) { users(first: $n) { edges { node { id } } } }', { n: null }), 201);
});

test('nested lists multiply: three levels of 100 are about a million objects', () => {
  const nested = `{ orders(first: 100) { edges { node { user { orders(first: 100) { edges { node { user {
    orders(first: 100) { edges { node { id } } } } } } } } } } } }`;
  assert.ok(cost(nested) > 1_000_000);
});

test('a list without first counts the default size', () => {
  assert.equal(cost('{ getOrders { id } }'), 1000);
  assert.equal(cost('{ getOrders { user { id } } }'), 2000);
});

test('aliases count once each', () => {
  const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: getOrders { id }`).join(' ');
  assert.equal(cost(`{ ${aliases} }`), 300_000);
  assert.equal(cost('{ a: orders(first: 10) { edges { node { id } } } b: orders(first: 10) { edges { node { id } } } }'), 42);
});

test('named fragments, nested ones included, count what they select where they are spread', () => {
  const query = `{ ...Page }
    fragment Page on Query { orders(first: 10) { ...Edges } }
    fragment Edges on OrderConnection { edges { node { ...Row } } }
    fragment Row on Order { user { id } }`;
  assert.equal(cost(query), 31); // 1 connection + 10 edges + 10 nodes + 10 users
  assert.equal(cost('{ a: getOrders { ...U } b: getOrders { ...U } } fragment U on Order { user { id } }'), 4000);
});

test('inline fragments count like the fields they hold', () => {
  assert.equal(cost('{ me { ... on User { orders(first: 3) { edges { node { id } } } } } }'), 8);
  assert.equal(cost('{ getOrders { ... on Order { user { id } } } }'), 2000);
});

test("introspection is priced on the schema's own lists, and a cycle in it multiplies", () => {
  const types = Object.keys(schema.getTypeMap()).length;
  assert.equal(cost('{ __schema { types { name } } }'), 1 + types);
  const mostFields = Math.max(...Object.values(schema.getTypeMap()).map((t) => ('getFields' in t ? Object.keys(t.getFields()).length : 0)));
  assert.equal(mostFields, 11, "__Type's: introspection types are the schema's too");
  assert.equal(cost('{ __type(name: "Order") { fields { name type { name } } } }'), 1 + mostFields + mostFields);
  const cycle = '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
  assert.ok(cost(cycle) > types * mostFields ** 4, 'each level multiplies');
  assert.ok(cost(cycle, {}, RULES) > 50_000, 'and is refused at the default MAX_COST');
  assert.ok(cost(getIntrospectionQuery()) < 50_000, "GraphiQL's introspection query is served");
});

test('a per-change subscription is priced for the largest batch it can get at once', () => {
  // orderChanges is executed as batches (batched-change-stream.ts): 3 objects per change, 1,000 changes
  assert.equal(cost('subscription { orderChanges { order { user { id } } } }'), 3000);
  assert.equal(cost('subscription { orderChanges { order { user { id } } } }', {}, { ...RULES, subscriptionMaxBatch: 50 }), 150);
  // a batch counts its changes at the batch bound, not DEFAULT_LIST_SIZE
  assert.equal(cost('subscription { orderChangeBatches { changes { order { user { id } } } } }', {}, { ...RULES, subscriptionMaxBatch: 50 }), 151);
  assert.equal(cost('subscription { orderChangeBatches { cursor changes { cursor } } }'), 1001);
});

test('a subscription that gets one event at a time counts once', () => {
  assert.equal(cost('subscription { getOrder { id user { id } } }'), 2);
  assert.equal(cost('subscription { orderChanged(id: "T3JkZXI6MQ==") { order { id } previous { id } } }'), 3);
});

test('a page under each change of a batch multiplies with the batch', () => {
  const perChange = 'subscription { orderChanges { order { user { orders(first: 100) { edges { node { id } } } } } } }';
  assert.equal(cost(perChange), 1000 * (3 + 201));
});

test('variables that do not coerce price at nothing: execution refuses them without calling anything', () => {
  assert.equal(cost('query($n: Int!) { orders(first: $n) { edges { node { id } } } }', {}), 0);
  assert.equal(cost('query($n: Int) { orders(first: $n) { edges { node { id } } } }', { n: 'ten' }), 0);
});

test('the plugin refuses above MAX_COST with COST_ESTIMATED_TOO_EXPENSIVE, queries and subscriptions alike', () => {
  const plugin = useOperationCost({ ...RULES, maxCost: 50_000 });
  type Hook = (payload: { args: object; setResultAndStopExecution(result: ExecutionResult): void }) => void;
  const run = (hook: 'onExecute' | 'onSubscribe', query: string, variables: Record<string, unknown> = {}) => {
    let refused: ExecutionResult | null = null;
    (plugin[hook] as unknown as Hook)({
      args: { schema, document: parse(query), variableValues: variables },
      setResultAndStopExecution: (result) => (refused = result),
    });
    return refused as ExecutionResult | null;
  };
  /** The refusal's first error; fails the test when there was none. */
  const refusal = (result: ExecutionResult | null) => {
    const error = result?.errors?.[0];
    assert.ok(error, 'refused');
    return error;
  };
  const costly = 'subscription { orderChanges { order { user { orders(first: 100) { edges { node { id } } } } } } }';
  const refused = run('onSubscribe', costly);
  assert.equal(refusal(refused).extensions.code, 'COST_ESTIMATED_TOO_EXPENSIVE');
  assert.deepEqual(refusal(refused).extensions.cost, { estimated: 204_000, max: 50_000 });
  assert.equal(run('onSubscribe', 'subscription { orderChanges { order { user { id } } } }'), null);
  const pages = 'query($n: Int) { orders(first: $n) { edges { node { user { orders(first: $n) { edges { node { id } } } } } } } }';
  const lists = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: getOrders { user { id } }`).join(' ')} }`;
  assert.equal(run('onExecute', lists(25)), null, '50,000 objects: served');
  assert.equal(refusal(run('onExecute', lists(26))).extensions.code, 'COST_ESTIMATED_TOO_EXPENSIVE');
  assert.equal(run('onExecute', pages, { n: null }), null, 'null pages are the default 20: 881 objects');
  assert.equal(refusal(run('onExecute', `{ a: orders(first: 100) { edges { node { user { orders(first: 100) { edges { node { id } } } } } } }
    b: orders(first: 100) { edges { node { user { orders(first: 100) { edges { node { id } } } } } } }
    c: orders(first: 100) { edges { node { user { orders(first: 100) { edges { node { id } } } } } } } }`)).extensions.code,
    'COST_ESTIMATED_TOO_EXPENSIVE');
});

test('a fan-out of fragments is priced without walking every spread', () => {
  const fragments = [];
  for (let level = 1; level < 6; level++) {
    fragments.push(`fragment F${level} on Query { ${Array(190).fill(`...F${level + 1}`).join(' ')} }`);
  }
  fragments.push('fragment F6 on Query { me { id } }');
  const started = performance.now();
  assert.equal(cost(`query { ...F1 } ${fragments.join(' ')}`), 190 ** 5);
  assert.ok(performance.now() - started < 200, `took ${performance.now() - started} ms`);
});
