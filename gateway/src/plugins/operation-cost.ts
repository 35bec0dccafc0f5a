import type { GatewayPlugin } from '@graphql-hive/gateway';
import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { BATCHED_FIELDS, ORDERS_SUBSCRIPTIONS } from '../orders-subscriptions.ts';

export const TOO_EXPENSIVE = 'COST_ESTIMATED_TOO_EXPENSIVE';

/** How the estimate sizes lists; see {@link estimateCost}. */
export interface CostRules {
  /** The size of a list that takes no `first` (`getOrders` returns at most 1,000). */
  defaultListSize: number;
  /** The largest page the services serve: every `first` is capped at it (they refuse more). */
  maxPageSize: number;
  /** The most changes one message of a per-change subscription carries (ORDERGRAPH_CDC_BATCHMAXCHANGES). */
  subscriptionMaxBatch: number;
}

/** The field of a batch type that carries its changes (orders-subscriptions.ts). */
const BATCH_CHANGES = ORDERS_SUBSCRIPTIONS.batchChanges;

/**
 * Upper bounds of the schema's own lists, for pricing introspection: `__Schema.types` counts the
 * schema's types, `__Type.fields` the most fields any type has, and so on. Cached per schema.
 */
const introspectionSizes = new WeakMap<GraphQLSchema, Map<string, number>>();
function introspectionListSizes(schema: GraphQLSchema): Map<string, number> {
  let sizes = introspectionSizes.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const most = (counts: number[]) => Math.max(0, ...counts);
  const fields = types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : []));
  sizes = new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', schema.getDirectives().length],
    ['__Type.fields', most(types.map((t) => (isObjectType(t) || isInterfaceType(t) ? Object.keys(t.getFields()).length : 0)))],
    ['__Type.interfaces', most(types.map((t) => (isObjectType(t) || isInterfaceType(t) ? t.getInterfaces().length : 0)))],
    ['__Type.possibleTypes', most(types.map((t) => (isUnionType(t) ? t.getTypes().length : isInterfaceType(t) ? schema.getPossibleTypes(t).length : 0)))],
    ['__Type.enumValues', most(types.map((t) => (isEnumType(t) ? t.getValues().length : 0)))],
    ['__Type.inputFields', most(types.map((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0)))],
    ['__Field.args', most(fields.map((f) => f.args.length))],
    ['__Directive.args', most(schema.getDirectives().map((d) => d.args.length))],
  ]);
  introspectionSizes.set(schema, sizes);
  return sizes;
}

/**
 * How many objects an operation may make the subgraphs produce, estimated from the operation and the
 * values execution will use: each object counts 1, times the size of every list above it.
 *
 * - Arguments are read as execution reads them (graphql-js `getVariableValues`, then
 *   `getArgumentValues`): variables are coerced against the operation's definitions (their defaults
 *   included), and an argument left out takes the schema's default. A list's size is the `first` (or
 *   `last`) of the field that returns it or its connection; when that is null, the schema's default
 *   (`first: Int = 20`: what the services serve for null), else `defaultListSize`; always at most
 *   `maxPageSize`. A list that takes no `first` counts `defaultListSize`.
 * - Subscriptions are priced for the largest message they can get: `orderChangeBatches { changes }`
 *   counts `subscriptionMaxBatch` changes, and a per-change field the gateway executes as batches
 *   (`orderChanges`, see batched-change-stream.ts) costs its per-change price times
 *   `subscriptionMaxBatch`. A field that sends one event at a time (`getOrder`, `orderChanged`) counts once.
 * - Fragments (named, nested, inline) and aliases count like the fields they hold. Introspection
 *   (`__schema`, `__type`) is priced on the introspection types, each of its lists at the largest such
 *   list this schema has (its number of types, the most fields a type has, ...): an upper bound, and one
 *   that a cycle like `fields { type { fields ... } }` multiplies at every level.
 * - Variables that do not coerce price at 0: execution refuses them without calling anything.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  rules: CostRules,
): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return 0;
  const variableValues = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const subscription = operation.operation === 'subscription';
  const batchTypes = new Set<string>();
  for (const field of BATCHED_FIELDS) {
    const type = schema.getSubscriptionType()?.getFields()[field]?.type;
    if (type) batchTypes.add(getNamedType(type).name);
  }
  const introspection = introspectionListSizes(schema);

  const fieldDefinition = (parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (parent === root && operation.operation === 'query') {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined; // __typename: no object
  };

  /** The page size a field's arguments ask for, capped; `undefined` when it takes no `first`/`last`. */
  const pageSize = (field: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined => {
    const sizeArguments = field.args.filter((a) => a.name === 'first' || a.name === 'last');
    if (sizeArguments.length === 0) return undefined;
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(field, node, variableValues);
    } catch {
      values = {}; // execution refuses it the same way
    }
    for (const argument of sizeArguments) {
      const value = values[argument.name] ?? argument.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.min(value, rules.maxPageSize);
    }
    return Math.min(rules.defaultListSize, rules.maxPageSize);
  };

  /** A list's size when the schema or the rules fix it regardless of arguments. */
  const fixedListSize = (parent: GraphQLNamedType, name: string): number | undefined => {
    if (subscription && name === BATCH_CHANGES && batchTypes.has(parent.name)) return rules.subscriptionMaxBatch;
    return introspection.get(`${parent.name}.${name}`);
  };

  const fragmentCosts = new Map<string, number>();
  const spreading = new Set<string>();
  const cost = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, times: number, listSize: number | undefined): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = fieldDefinition(parent, selection.name.value);
        if (!field) continue;
        const own = pageSize(field, selection);
        const type = getNullableType(field.type);
        const events = subscription && parent === root && ORDERS_SUBSCRIPTIONS.batched.has(field.name) ? rules.subscriptionMaxBatch : 1;
        const size = fixedListSize(parent, field.name) ?? own ?? listSize ?? rules.defaultListSize;
        const count = times * events * (isListType(type) ? size : 1);
        const named = getNamedType(field.type);
        if (isCompositeType(named)) total += count;
        if (selection.selectionSet) total += cost(selection.selectionSet, named, count, isListType(type) ? undefined : own);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition) total += cost(selection.selectionSet, condition, times, listSize);
      } else {
        // A named fragment's cost is worked out once per place it can appear and scaled (the estimate is
        // linear in `times`): spreads of spreads multiply, and walking them again at every spread let a
        // 2,000-token document take minutes of the event loop.
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const condition = fragment && (fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent);
        if (!fragment || !condition || spreading.has(name)) continue; // a cycle: refused by validation anyway
        const key = `${name}\n${parent.name}\n${listSize}`;
        let unit = fragmentCosts.get(key);
        if (unit === undefined) {
          spreading.add(name);
          unit = cost(fragment.selectionSet, condition, 1, listSize);
          spreading.delete(name);
          fragmentCosts.set(key, unit);
        }
        total += times * unit;
      }
      if (total > Number.MAX_SAFE_INTEGER) return total;
    }
    return total;
  };
  return cost(operation.selectionSet, root, 1, undefined);
}

/**
 * Refuses, before any subgraph is called, an operation whose estimated cost ({@link estimateCost}) is
 * above `maxCost`, with `COST_ESTIMATED_TOO_EXPENSIVE`: three nested lists of 100 ask for a million
 * objects, which took 30-38 s and held up other clients meanwhile. Queries and mutations are checked
 * when they execute, subscriptions when they subscribe (over HTTP, SSE and WebSocket alike: all go
 * through these hooks). Hive Gateway's own demand control is not used: it adds up the cost of every
 * subgraph call made with one context, so a long subscription's cost grows with each event until it is
 * refused.
 */
export const useOperationCost = (limits: CostRules & { maxCost: number }): GatewayPlugin => {
  const refusal = (estimated: number) =>
    new GraphQLError(
      `This operation may produce about ${estimated} objects; at most ${limits.maxCost} are served. Ask for smaller pages (first) or fewer nested lists.`,
      { extensions: { code: TOO_EXPENSIVE, cost: { estimated, max: limits.maxCost } } },
    );
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown }) => {
    const variables = args.variableValues as Record<string, unknown> | null | undefined;
    const estimated = estimateCost(args.schema, args.document, args.operationName, variables, limits);
    return estimated > limits.maxCost ? refusal(estimated) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
  };
};
