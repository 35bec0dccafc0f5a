// schema/supergraph.graphql and schema/api.graphql are generated (scripts/compose.mjs, `make compose`):
// these fail when a subgraph schema changed and nobody recomposed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendFile, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_DIR, compose, staleOutputs } from '../scripts/compose.mjs';

const FILES = ['users.graphqls', 'orders.graphqls', 'supergraph.graphql', 'api.graphql'];

test('the committed supergraph and API schema are the composition of the subgraph schemas', async () => {
  const problems = await staleOutputs(await compose());
  assert.deepEqual(problems, [], `${problems.join('\n')}\nRun \`npm run compose\` in gateway/ (or \`make compose\`) and commit the result.`);
});

test('a subgraph schema changed without recomposing makes both generated files stale', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ordergraph-schema-'));
  try {
    for (const file of FILES) await copyFile(join(SCHEMA_DIR, file), join(dir, file));
    assert.deepEqual(await staleOutputs(await compose(dir)), [], 'a copy of the committed files is current');
    await appendFile(join(dir, 'orders.graphqls'), '\nextend type Query {\n  "A field nobody composed."\n  composeProbe: Int\n}\n');
    const problems = await staleOutputs(await compose(dir));
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.ok(problems.every((line) => line.includes('is stale')), problems.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
