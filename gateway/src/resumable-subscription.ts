// A change subscription that says, in every result, where it stands, and that can be opened again just
// after that point: what a shared stream needs to hand its upstream subscription from one consumer's token
// to another's without losing or repeating a change (plugins/shared-subscriptions.ts).
import { Kind, getOperationAST, visit, type DocumentNode, type ExecutionResult, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { ORDERS_SUBSCRIPTIONS } from './orders-subscriptions.ts';

/** The response key under which each result carries its cursor, whatever the client selected. */
export const RESUME_CURSOR_KEY = '_resumeCursor';
/** The variable the root field's `after` is bound to. */
export const RESUME_AFTER_VARIABLE = '_resumeAfter';

export interface Resumable {
  /** The document with the root field's `cursor` under RESUME_CURSOR_KEY and `after: $_resumeAfter`. */
  document: DocumentNode;
  /** The root field's response key in a result. */
  responseKey: string;
}

const cache = new WeakMap<DocumentNode, Resumable | null>();

/**
 * `document` made resumable (see Resumable), or `null` when its operation is not a subscription of one
 * root field with a selection (every change stream field has `cursor` and `after`: orders.graphqls). The
 * client's own `after` argument, if any, is replaced: a shared stream is opened only without one
 * (sharingKey). A variable that only it used is dropped, since a subgraph refuses unused variables.
 */
export function resumableDocument(document: DocumentNode, operationName?: string | null): Resumable | null {
  const cached = cache.get(document);
  if (cached !== undefined) return cached;
  let resumable: Resumable | null = null;
  const operation = getOperationAST(document, operationName);
  const selections = operation?.operation === 'subscription' ? operation.selectionSet.selections : [];
  const field = selections.length === 1 && selections[0].kind === Kind.FIELD ? (selections[0] as FieldNode) : undefined;
  if (operation && field?.selectionSet) {
    const after = ORDERS_SUBSCRIPTIONS.resumeArgument;
    const cursor: FieldNode = {
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: RESUME_CURSOR_KEY },
      name: { kind: Kind.NAME, value: 'cursor' },
    };
    const replaced: FieldNode = {
      ...field,
      arguments: [
        ...(field.arguments ?? []).filter((a) => a.name.value !== after),
        {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: after },
          value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RESUME_AFTER_VARIABLE } },
        },
      ],
      selectionSet: { ...field.selectionSet, selections: [...field.selectionSet.selections, cursor] },
    };
    const used = new Set<string>();
    visit(replaced, { Variable: (node) => { used.add(node.name.value); } });
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, { Variable: (node) => { used.add(node.name.value); } });
    }
    const rewritten: OperationDefinitionNode = {
      ...operation,
      variableDefinitions: [
        ...(operation.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value) && v.variable.name.value !== RESUME_AFTER_VARIABLE),
        {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RESUME_AFTER_VARIABLE } },
          type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
        },
      ],
      selectionSet: { kind: Kind.SELECTION_SET, selections: [replaced] },
    };
    resumable = {
      document: { ...document, definitions: document.definitions.map((d) => (d === operation ? rewritten : d)) },
      responseKey: field.alias?.value ?? field.name.value,
    };
  }
  cache.set(document, resumable);
  return resumable;
}

/** The variables that open `resumable` just after `after` (`null`: from now on). */
export function resumeVariables(variables: Record<string, unknown> | null | undefined, after: string | null): Record<string, unknown> {
  return { ...(variables ?? {}), [RESUME_AFTER_VARIABLE]: after };
}

/**
 * The cursor a result of a resumable subscription carries and the result as its client asked for it
 * (without the cursor); `cursor` is `null` for a result without one (an error, a refusal).
 */
export function takeCursor(result: ExecutionResult, responseKey: string): { cursor: string | null; result: ExecutionResult } {
  const root = result.data?.[responseKey];
  if (typeof root !== 'object' || root === null || !(RESUME_CURSOR_KEY in root)) return { cursor: null, result };
  const { [RESUME_CURSOR_KEY]: cursor, ...rest } = root as Record<string, unknown>;
  return {
    cursor: typeof cursor === 'string' ? cursor : null,
    result: { ...result, data: { ...result.data, [responseKey]: rest } },
  };
}
