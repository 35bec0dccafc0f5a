import type { GatewayPlugin } from '@graphql-hive/gateway';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/** At most this many names kept per planned document (each plan's documents are shared by every request of that plan). */
const NAMES_PER_DOCUMENT = 64;

/**
 * The subgraph document `document` with its one anonymous operation named `name`, or `null` when it has
 * no such operation. Copies: the planner's documents are shared between requests.
 */
export function withOperationName(document: DocumentNode, name: string): DocumentNode | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].name) return null;
  const named: OperationDefinitionNode = { ...operations[0], name: { kind: Kind.NAME, value: name } };
  return { ...document, definitions: document.definitions.map((d) => (d === operations[0] ? named : d)) };
}

/**
 * Names each subgraph request after the client's operation. Hive Router plans subgraph operations
 * without names, so the gateway's per-subgraph timings and the subgraphs' own per-operation timings
 * would all read "Anonymous"; the default delegation kept the client's name, and so does this. The name
 * is the one the client sent beside its document (`operationName`), already checked against it.
 */
export const useSubgraphOperationNames = (): GatewayPlugin => {
  const named = new WeakMap<DocumentNode, Map<string, DocumentNode | null>>();
  return {
    onSubgraphExecute({ executionRequest }) {
      const name = executionRequest.context?.params?.operationName;
      if (executionRequest.operationName || typeof name !== 'string' || name === '') return;
      let byName = named.get(executionRequest.document);
      if (!byName) named.set(executionRequest.document, (byName = new Map()));
      let document = byName.get(name);
      if (document === undefined) {
        if (byName.size >= NAMES_PER_DOCUMENT) byName.clear();
        document = withOperationName(executionRequest.document, name);
        byName.set(name, document);
      }
      if (!document) return;
      // In place: the metrics plugin reads the request's name when the call ends.
      executionRequest.document = document;
      executionRequest.operationName = name;
    },
  };
};
