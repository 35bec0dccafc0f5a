import type { GatewayPlugin } from '@graphql-hive/gateway';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export const MAX_DEPTH_EXCEEDED = 'MAX_DEPTH_EXCEEDED';
export const MAX_TOKENS_EXCEEDED = 'MAX_TOKENS_EXCEEDED';
export const MAX_ALIASES_EXCEEDED = 'MAX_ALIASES_EXCEEDED';
export const TOO_MANY_MUTATIONS = 'TOO_MANY_MUTATIONS';

/** graphql-armor's message, without the "Syntax Error: " it puts before every refusal, and with a code. */
function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } });
}

/**
 * Refuses an operation nested deeper than `n` fields with `MAX_DEPTH_EXCEEDED` (graphql-armor's
 * max-depth, as Hive Gateway's `maxDepth` option runs it). Configured here rather than through that
 * option, which takes only the number: armor's own error has no code, and would reach clients as a
 * bare GRAPHQL_VALIDATION_FAILED. A validation error: nothing is executed.
 */
export const useDepthLimit = (n: number): GatewayPlugin =>
  maxDepthPlugin({
    n,
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(coded(error, MAX_DEPTH_EXCEEDED))],
  }) as GatewayPlugin;

/**
 * Refuses a document of more than `n` tokens with `MAX_TOKENS_EXCEEDED` while it is parsed, at the
 * first token past the limit (graphql-armor's max-tokens, configured here for the same reason as
 * {@link useDepthLimit}). The parser stops there, so a huge document costs no more than `n` tokens.
 */
export const useTokenLimit = (n: number): GatewayPlugin =>
  maxTokensPlugin({
    n,
    propagateOnRejection: false,
    onReject: [
      (_context, error) => {
        throw coded(error, MAX_TOKENS_EXCEEDED); // thrown from the lexer: parsing stops here
      },
    ],
  }) as GatewayPlugin;

type Fragments = (name: string) => FragmentDefinitionNode | null | undefined;

/**
 * The aliases in `selectionSet`, those of the fragments it spreads included (each time it spreads them).
 * A fragment's own count is worked out once (`memo`): spreads of spreads multiply, and walking them again
 * at every spread let a 2,000-token document take minutes of the event loop.
 */
export function countAliases(selectionSet: SelectionSetNode, fragment: Fragments, memo: Map<string, number> = new Map(),
                             spreading: Set<string> = new Set()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) count++;
      if (selection.selectionSet) count += countAliases(selection.selectionSet, fragment, memo, spreading);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countAliases(selection.selectionSet, fragment, memo, spreading);
    } else {
      const name = selection.name.value;
      const definition = fragment(name);
      if (!definition || spreading.has(name)) continue; // a cycle: refused by validation anyway
      let own = memo.get(name);
      if (own === undefined) {
        spreading.add(name);
        own = countAliases(definition.selectionSet, fragment, memo, spreading);
        spreading.delete(name);
        memo.set(name, own);
      }
      count += own;
    }
  }
  return count;
}

/**
 * The response keys (alias, else name) of a root selection set, fragments on the root type included.
 * Each fragment is read once: spreading it again adds no key.
 */
export function rootResponseKeys(selectionSet: SelectionSetNode, fragment: Fragments, keys: Set<string> = new Set(),
                                 visited: Set<string> = new Set()): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootResponseKeys(selection.selectionSet, fragment, keys, visited);
    } else {
      const name = selection.name.value;
      const definition = fragment(name);
      if (!definition || visited.has(name)) continue;
      visited.add(name);
      rootResponseKeys(definition.selectionSet, fragment, keys, visited);
    }
  }
  return keys;
}

function operationRule(check: (operation: OperationDefinitionNode, context: ValidationContext) => GraphQLError | null): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const refused = check(operation, context);
      if (refused) context.reportError(refused);
      return false; // nothing below is needed
    },
  });
}

/**
 * Refuses an operation with more than `n` aliases with `MAX_ALIASES_EXCEEDED`, fragments counted each
 * time they are spread. Aliases let one small request ask for the same list many times over; the cost
 * estimate prices that, this stops it at the door with a clearer message. A validation error: nothing is
 * executed. (graphql-armor's max-aliases is not among Hive Gateway's dependencies; this is the same rule.)
 */
export const useAliasLimit = (n: number): GatewayPlugin => {
  const rule = operationRule((operation, context) => {
    const count = countAliases(operation.selectionSet, (name) => context.getFragment(name));
    return count > n
      ? new GraphQLError(`The operation has ${count} aliases; at most ${n} are accepted.`, {
          nodes: [operation],
          extensions: { code: MAX_ALIASES_EXCEEDED },
        })
      : null;
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
};

/**
 * Refuses a mutation with more than `n` root fields with `TOO_MANY_MUTATIONS`, before any subgraph is
 * called: every alias is another field, and so is each field a fragment on Mutation brings. One request
 * of a thousand `createOrder`s would hold one transaction and one connection of orders-service for as
 * long as it takes (atomic requests run all fields of a request in one transaction).
 */
export const useMutationFieldLimit = (n: number): GatewayPlugin => {
  const rule = operationRule((operation, context) => {
    if (operation.operation !== 'mutation') return null;
    const count = rootResponseKeys(operation.selectionSet, (name) => context.getFragment(name)).size;
    return count > n
      ? new GraphQLError(`The request has ${count} mutation fields; at most ${n} are run in one request. Send them in several.`, {
          nodes: [operation],
          extensions: { code: TOO_MANY_MUTATIONS },
        })
      : null;
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
};
