import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { parse } from 'graphql';
import { serializeExecutionRequest } from '@graphql-tools/executor-common';
import { useSubgraphOperationNames } from '../src/plugins/subgraph-operation-names.ts';
import { useSubscriptionAuthorization } from '../src/plugins/subscription-authorization.ts';
import { useUpstreamSignature } from '../src/plugins/upstream-signature.ts';
import { subgraphExecutorThrough, type SubgraphRequest } from './support/hooks.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!!';

/** Canonical JSON as json-stable-stringify writes it: keys sorted at every level, no spaces. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a subgraph checks: HMAC-SHA256 of canonical `{ query, variables }` (no variables when empty). */
const expectedSignature = (sent: { query?: string; variables?: Record<string, unknown> }) =>
  createHmac('sha256', SECRET).update(canonical({ query: sent.query, variables: sent.variables })).digest('base64');

/** Runs the onSubgraphExecute hooks of `plugins` in order, as Hive Gateway does; the request as the transport sends it. */
async function sendThrough(plugins: GatewayPlugin[], executionRequest: SubgraphRequest) {
  for (const plugin of plugins) {
    // Hive's signing plugin takes its crypto from the server's fetch API.
    (plugin.onYogaInit as unknown as ((payload: { yoga: { fetchAPI: typeof globalThis } }) => void) | undefined)?.({ yoga: { fetchAPI: globalThis } });
  }
  await subgraphExecutorThrough(plugins, 'orders', executionRequest, async () => ({}));
  // The body of the HTTP request, and the payload of the WebSocket `subscribe` message, are this.
  return serializeExecutionRequest({ executionRequest });
}

// gateway.config.ts's order: the signature comes after every plugin that changes the request.
const plugins = () => [useSubscriptionAuthorization(8), useSubgraphOperationNames(), useUpstreamSignature(SECRET)];

test('a query is signed over the document as renamed for the subgraph, and its variables', async () => {
  const sent = await sendThrough(plugins(), {
    document: parse('query($id: ID!) { order(id: $id) { id } }'),
    variables: { id: 'T3JkZXI6MQ==' },
    context: { params: { operationName: 'OrderPage' } },
  });
  assert.match(sent.query!, /^query OrderPage\(/);
  assert.equal(sent.extensions?.['hmac-signature'], expectedSignature(sent));
});

test("a subscription's subscribe message carries the signature beside its client's token", async () => {
  const sent = await sendThrough(plugins(), {
    document: parse('subscription { orderChangeBatches { changes { cursor } } }'),
    variables: {},
    extensions: { headers: { authorization: 'Bearer t' } },
    context: { forwardedAuthorization: 'Bearer t', params: { operationName: 'Live' } },
  });
  assert.equal(sent.variables, undefined, 'empty variables are left out, by the sender and the signer alike');
  assert.equal(sent.extensions?.authorization, 'Bearer t');
  assert.equal(sent.extensions?.headers, undefined);
  assert.equal(sent.extensions?.['hmac-signature'], expectedSignature(sent));
});

test('signed before the renaming, the signature would not match what the subgraph gets', async () => {
  const early = [useUpstreamSignature(SECRET), useSubgraphOperationNames()];
  const sent = await sendThrough(early, {
    document: parse('{ getOrders { id } }'),
    context: { params: { operationName: 'Orders' } },
  });
  assert.notEqual(sent.extensions?.['hmac-signature'], expectedSignature(sent));
});
