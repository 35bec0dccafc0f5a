import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import {
  Kind,
  buildSchema,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import {
  countAliases,
  rootResponseKeys,
  useAliasLimit,
  useDepthLimit,
  useMutationFieldLimit,
  useTokenLimit,
} from '../src/plugins/operation-limits.ts';

const schema = buildSchema(`
  type Query { me: User getOrders: [Order!]! }
  type Mutation { createOrder(date: String): Order updateOrder(id: ID!): Order }
  type Order { id: ID! user: User! }
  type User { id: ID! orders: [Order!]! }
`);

/** A document's fragments by name. */
function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
}

/** The errors `plugin`'s validation rules report for `query`, as the gateway's validation would. */
function validationErrors(plugin: GatewayPlugin, query: string): readonly GraphQLError[] {
  const rules: ValidationRule[] = [];
  const onValidate = plugin.onValidate as unknown as (payload: { addValidationRule(rule: ValidationRule): void }) => void;
  onValidate({ addValidationRule: (rule) => rules.push(rule) });
  return validate(schema, parse(query), [...specifiedRules, ...rules]);
}

test('an operation too deep is refused with MAX_DEPTH_EXCEEDED', () => {
  const plugin = useDepthLimit(3);
  assert.deepEqual(validationErrors(plugin, '{ me { orders { id } } }'), []);
  const [error, ...more] = validationErrors(plugin, '{ me { orders { user { id } } } }');
  assert.equal(more.length, 0);
  assert.equal(error.extensions.code, 'MAX_DEPTH_EXCEEDED');
  assert.equal(error.message, 'Query depth limit of 3 exceeded, found 4.');
  const viaFragment = validationErrors(plugin, '{ me { ...F } } fragment F on User { orders { user { id } } }');
  assert.equal(viaFragment[0]?.extensions.code, 'MAX_DEPTH_EXCEEDED');
});

test('a document of too many tokens is refused with MAX_TOKENS_EXCEEDED while it is parsed', () => {
  let parseFn: (source: string) => DocumentNode = parse;
  const onParse = useTokenLimit(10).onParse as unknown as (payload: { setParseFn(fn: typeof parseFn): void }) => void;
  onParse({ setParseFn: (fn) => (parseFn = fn) });
  assert.notEqual(parseFn, parse);
  assert.ok(parseFn('{ me { id } }'));
  const huge = `{ ${'me { id } '.repeat(100_000)}}`;
  assert.throws(() => parseFn(huge), (error: GraphQLError) =>
    error.extensions.code === 'MAX_TOKENS_EXCEEDED' && error.message === 'Token limit of 10 exceeded.');
});

test('aliases are counted through fragments, each spread counting again', () => {
  const document = parse(`{ a: me { id } ...F ...F me { b: id } }
    fragment F on Query { c: getOrders { d: id ... on Order { e: id } } }`);
  const fragments = fragmentsOf(document);
  const operation = document.definitions[0] as OperationDefinitionNode;
  assert.equal(countAliases(operation.selectionSet, (name) => fragments.get(name)), 2 + 2 * 3);
});

test('too many aliases are refused with MAX_ALIASES_EXCEEDED', () => {
  const plugin = useAliasLimit(30);
  const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
  assert.deepEqual(validationErrors(plugin, aliased(30)), []);
  const errors = validationErrors(plugin, aliased(31));
  assert.equal(errors.length, 1);
  assert.equal(errors[0].extensions.code, 'MAX_ALIASES_EXCEEDED');
  const spread = `{ ...F ...F } fragment F on Query { ${Array.from({ length: 16 }, (_, i) => `f${i}: me { id }`).join(' ')} }`;
  assert.equal(validationErrors(plugin, spread)[0]?.extensions.code, 'MAX_ALIASES_EXCEEDED', 'a fragment spread twice counts twice');
});

test('mutation fields are counted by response key: aliases, fragments and inline fragments on Mutation', () => {
  const document = parse(`mutation { a: createOrder { id } b: createOrder { id } ...M ... on Mutation { c: createOrder { id } } }
    fragment M on Mutation { updateOrder(id: "x") { id } a: createOrder { id } }`);
  const fragments = fragmentsOf(document);
  const keys = rootResponseKeys((document.definitions[0] as OperationDefinitionNode).selectionSet, (name) => fragments.get(name));
  assert.deepEqual([...keys].sort(), ['a', 'b', 'c', 'updateOrder'], 'the same response key is one field, as execution merges it');
});

test('more mutation fields than MAX_MUTATION_FIELDS are refused with TOO_MANY_MUTATIONS before anything runs', () => {
  const plugin = useMutationFieldLimit(25);
  const mutation = (n: number) => `mutation { ${Array.from({ length: n }, (_, i) => `m${i}: createOrder { id }`).join(' ')} }`;
  assert.deepEqual(validationErrors(plugin, mutation(25)), []);
  const [error] = validationErrors(plugin, mutation(26));
  assert.equal(error.extensions.code, 'TOO_MANY_MUTATIONS');
  assert.match(error.message, /26 mutation fields; at most 25/);
  const viaFragments = `mutation { ...A ...B } fragment A on Mutation { ${Array.from({ length: 13 }, (_, i) => `a${i}: createOrder { id }`).join(' ')} }
    fragment B on Mutation { ${Array.from({ length: 13 }, (_, i) => `b${i}: createOrder { id }`).join(' ')} }`;
  assert.equal(validationErrors(plugin, viaFragments)[0]?.extensions.code, 'TOO_MANY_MUTATIONS');
  const queries = `{ ${Array.from({ length: 40 }, (_, i) => `q${i}: me { id }`).join(' ')} }`;
  assert.deepEqual(validationErrors(plugin, queries), [], 'queries are not mutations');
});

/** `query { ...F1 }` where each of `levels` fragments spreads the next `width` times: small text, a huge tree. */
function fanOut(levels: number, width: number, leaf: string) {
  const fragments = [];
  for (let level = 1; level < levels; level++) {
    fragments.push(`fragment F${level} on Query { ${Array(width).fill(`...F${level + 1}`).join(' ')} }`);
  }
  fragments.push(`fragment F${levels} on Query { ${leaf} }`);
  return parse(`query { ...F1 } ${fragments.join(' ')}`);
}

test('fragments spread from fragments are counted without walking every spread', () => {
  const document = fanOut(6, 190, 'a: me { id }');
  const operation = document.definitions[0] as OperationDefinitionNode;
  const fragments = fragmentsOf(document);
  const fragment = (name: string) => fragments.get(name);
  const started = performance.now();
  assert.equal(countAliases(operation.selectionSet, fragment), 190 ** 5);
  assert.deepEqual([...rootResponseKeys(operation.selectionSet, fragment)], ['a']);
  assert.ok(performance.now() - started < 200, `took ${performance.now() - started} ms`);
});
