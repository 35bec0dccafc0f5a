// Tracing at the gateway: off without OTEL_TRACES_EXPORTER; on, a subscription event's spans continue the
// context the subgraph sent in the event's extensions, and reach a real HTTP receiver in Zipkin's format.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Kind, type ExecutionResult } from 'graphql';
import { consumerSpan, eventArrived, eventExecuted, sameEvent, setUpTracing, tracingOn, withTraceparent } from '../src/tracing.ts';

interface ZipkinSpan { traceId: string; id: string; parentId?: string; name: string; kind?: string; tags?: Record<string, string> }

test('without OTEL_TRACES_EXPORTER nothing is set up, and an unknown exporter or rate is refused', async () => {
  assert.equal(await setUpTracing({}, 'warn'), undefined);
  assert.equal(await setUpTracing({ OTEL_TRACES_EXPORTER: 'none' }, 'warn'), undefined);
  assert.equal(tracingOn(), false);
  assert.deepEqual(withTraceparent({ authorization: 'Bearer x' }, { document: { kind: Kind.DOCUMENT, definitions: [] } }), { authorization: 'Bearer x' });
  await assert.rejects(setUpTracing({ OTEL_TRACES_EXPORTER: 'jaeger' }, 'warn'), /zipkin, otlp or none/);
  await assert.rejects(setUpTracing({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_TRACES_SAMPLER_ARG: '0' }, 'warn'), /\(0, 1\]/);
});

test("a subscription event's span continues the subgraph's delivery span, and each client's span the event's", async () => {
  const received: ZipkinSpan[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push(...(JSON.parse(body) as ZipkinSpan[]));
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    process.env.OTEL_BSP_SCHEDULE_DELAY = '50';
    const options = await setUpTracing({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v2/spans`,
    }, 'warn');
    assert.ok(options?.traces, 'the plugin options');
    assert.equal(tracingOn(), true);

    const subscription = {};
    const delivery = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    eventArrived(subscription, { data: { orderChangeBatches: { changes: [{}, {}] } }, extensions: { traceparent: delivery } });
    const executed: ExecutionResult = { data: { orderChangeBatches: { changes: [{}, {}], cursor: 'c' } } };
    eventExecuted(subscription, executed);
    const withoutCursor: ExecutionResult = { data: { orderChangeBatches: { changes: [{}, {}] } } };
    sameEvent(executed, withoutCursor);
    for (const client of [consumerSpan(withoutCursor), consumerSpan(withoutCursor)]) client?.end();
    // An event without a context (an untraced subgraph) makes no span.
    eventArrived(subscription, { data: {} });
    eventExecuted(subscription, { data: {} });

    const deadline = Date.now() + 5_000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const event = received.find((span) => span.name === 'order-change event');
    assert.ok(event, JSON.stringify(received));
    assert.equal(event.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(event.parentId, '00f067aa0ba902b7');
    assert.equal(event.tags?.['ordergraph.changes'], '2');
    const sends = received.filter((span) => span.name === 'order-change send');
    assert.equal(sends.length, 2);
    for (const send of sends) assert.equal(send.parentId, event.id);
    assert.equal(received.length, 3);
  } finally {
    receiver.close();
  }
});
