// Types of compose.mjs's exports, for test/supergraph.test.ts.

/** A generated file: where it belongs and what it must hold. */
export interface Output {
  path: string;
  text: string;
}

export const SCHEMA_DIR: string;

/** A composition that cannot be made; `lines` say why. */
export class CompositionFailed extends Error {
  lines: string[];
  constructor(lines: string[]);
}

export function compose(schemaDir?: string): Promise<Output[]>;

export function staleOutputs(outputs: Output[]): Promise<string[]>;
