import type { GatewayPlugin } from '@graphql-hive/gateway';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export const TOO_EXPENSIVE = 'COST_ESTIMATED_TOO_EXPENSIVE';

/**
 * How many objects an operation may make the subgraphs produce, estimated from the operation alone: each
 * object counts 1, times the size of every list above it. A list's size is the `first` (or `last`) argument
 * of the field that returns its connection, or of the list field itself; a list without one counts
 * `defaultListSize` (`getOrders` returns at most 1,000 and a batch of changes at most 1,000).
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  defaultListSize: number,
): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const sizeArgument = (field: FieldNode): number | undefined => {
    for (const argument of field.arguments ?? []) {
      if (argument.name.value !== 'first' && argument.name.value !== 'last') continue;
      const value = argument.value;
      const size = value.kind === Kind.INT ? Number(value.value)
        : value.kind === Kind.VARIABLE ? Number(variables?.[value.name.value]) : NaN;
      if (Number.isFinite(size) && size >= 0) return size;
    }
    return undefined;
  };

  const cost = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, times: number, listSize: number | undefined): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue; // __typename and the like
        const own = sizeArgument(selection);
        const type = getNullableType(field.type);
        const count = isListType(type) ? times * (own ?? listSize ?? defaultListSize) : times;
        const named = getNamedType(field.type);
        if (isCompositeType(named)) total += count;
        if (selection.selectionSet) total += cost(selection.selectionSet, named, count, isListType(type) ? undefined : own);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (condition) total += cost(fragment.selectionSet, condition, times, listSize);
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
 * objects, which took 30-38 s and held up other clients meanwhile. Hive Gateway's own demand control is
 * not used: it adds up the cost of every subgraph call made with one context, so a long subscription's
 * cost grows with each event until it is refused.
 */
export const useOperationCost = (limits: { maxCost: number; defaultListSize: number }): GatewayPlugin => {
  const refusal = (estimated: number) =>
    new GraphQLError(
      `This operation may produce about ${estimated} objects; at most ${limits.maxCost} are served. Ask for smaller pages (first) or fewer nested lists.`,
      { extensions: { code: TOO_EXPENSIVE, cost: { estimated, max: limits.maxCost } } },
    );
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: any }) => {
    const estimated = estimateCost(args.schema, args.document, args.operationName, args.variableValues, limits.defaultListSize);
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
