import { readFileSync, statSync } from 'node:fs';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import {
  GraphQLSchema,
  Kind,
  getOperationAST,
  parse,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Which subgraph owns each root mutation field, from the supergraph's `@join__field(graph:)`.
 */
export function mutationFieldOwners(supergraphPath: string): Map<string, string> {
  const owners = new Map<string, string>();
  const document = parse(readFileSync(supergraphPath, 'utf8'));
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Mutation') continue;
    for (const field of definition.fields ?? []) {
      const join = field.directives?.find((d) => d.name.value === 'join__field');
      const graph = join?.arguments?.find((a) => a.name.value === 'graph')?.value;
      if (graph?.kind === Kind.ENUM) owners.set(field.name.value, graph.value);
    }
  }
  return owners;
}

/**
 * Atomic requests through the gateway. graphql-js runs mutation fields one after another, so the
 * gateway would send each root field to its subgraph in a request of its own, and a subgraph's
 * atomic mutations (one transaction per request) would cover one field at a time. When every root
 * field of a mutation belongs to the same subgraph, this runs them side by side instead: the
 * gateway's batching executor then merges them, in order, into ONE mutation request to that
 * subgraph, which runs them one after another in one transaction. Nothing changes for the client:
 * the subgraph still executes the fields serially. A mutation spanning subgraphs keeps the
 * serial, one-request-per-field execution (documented as atomic within each subgraph only).
 */
export const useSingleSubgraphMutationBatching = (supergraphPath: string): GatewayPlugin => {
  // Read again when the supergraph file changes (the gateway reloads it too).
  let read = { modified: -1, owners: new Map<string, string>() };
  const ownersNow = () => {
    const modified = statSync(supergraphPath).mtimeMs;
    if (modified !== read.modified) read = { modified, owners: mutationFieldOwners(supergraphPath) };
    return read.owners;
  };
  const asQueryRoot = new WeakMap<GraphQLSchema, GraphQLSchema>();
  return {
    onExecute({ args, setExecuteFn, executeFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const selections = operation.selectionSet.selections;
      if (selections.length < 2 || selections.some((s) => s.kind !== Kind.FIELD)) return;
      const owners = ownersNow();
      const graphs = new Set(selections.map((s) => (s.kind === Kind.FIELD ? owners.get(s.name.value) : undefined)));
      if (graphs.size !== 1 || graphs.has(undefined)) return;
      const mutationType = args.schema.getMutationType();
      if (!mutationType) return;
      let schema = asQueryRoot.get(args.schema);
      if (!schema) {
        // The same types and resolvers, with Mutation as the root that executes fields in parallel.
        schema = new GraphQLSchema({ ...args.schema.toConfig(), query: mutationType, mutation: undefined, subscription: undefined });
        asQueryRoot.set(args.schema, schema);
      }
      const parallel: OperationDefinitionNode = { ...operation, operation: 'query' as OperationDefinitionNode['operation'] };
      const document: DocumentNode = {
        ...args.document,
        definitions: args.document.definitions.map((d) => (d === operation ? parallel : d)),
      };
      const derived = schema;
      setExecuteFn((executeArgs) => executeFn({ ...executeArgs, schema: derived, document }));
    },
  };
};
