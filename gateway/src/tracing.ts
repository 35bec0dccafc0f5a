// Tracing (OpenTelemetry), off unless OTEL_TRACES_EXPORTER names an exporter: the same standard variables
// the services read (docs/operations.md, "Tracing"). Off, no SDK is set up and Hive Gateway's plugin is not loaded.
import { createLoggerFromLogging } from '@graphql-hive/gateway';
import type { OpenTelemetryGatewayPluginOptions } from '@graphql-hive/gateway/opentelemetry';
import { hive } from '@graphql-hive/gateway/opentelemetry/api';
import type { ExecutionRequest } from '@graphql-tools/utils';
import { ROOT_CONTEXT, propagation, trace, type Context, type Span, SpanKind } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ExecutionResult } from 'graphql';
import { changesIn } from './orders-subscriptions.ts';

/** OpenTelemetry's default for OTEL_EXPORTER_ZIPKIN_ENDPOINT. */
const ZIPKIN_DEFAULT = 'http://localhost:9411/api/v2/spans';

let on = false;

/** Whether spans are made: setUpTracing found an exporter. */
export function tracingOn(): boolean {
  return on;
}

/**
 * Sets up OpenTelemetry's SDK from the standard variables and returns Hive Gateway's plugin options, or
 * undefined when tracing is off:
 * - OTEL_TRACES_EXPORTER: `zipkin` (OTEL_EXPORTER_ZIPKIN_ENDPOINT, Zipkin's own format, which its server
 *   reads without a collector) or `otlp` (OTLP over HTTP, OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT); unset or
 *   `none`: off;
 * - OTEL_TRACES_SAMPLER_ARG: the share of traces sampled when this gateway starts them, 1 unless set; a
 *   client's or subgraph's `traceparent` decides for its own trace (parent-based);
 * - OTEL_SERVICE_NAME: `gateway` unless set.
 */
export async function setUpTracing(env: Record<string, string | undefined>, logLevel: 'debug' | 'info' | 'warn' | 'error')
  : Promise<OpenTelemetryGatewayPluginOptions | undefined> {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (exporters.length === 0 || exporters.includes('none')) return undefined;
  const unknown = exporters.filter((e) => e !== 'zipkin' && e !== 'otlp');
  if (unknown.length) throw new Error(`OTEL_TRACES_EXPORTER must be zipkin, otlp or none, not "${unknown.join(',')}"`);
  const rate = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  if (!(rate > 0 && rate <= 1)) throw new Error(`OTEL_TRACES_SAMPLER_ARG must be in (0, 1], not "${env.OTEL_TRACES_SAMPLER_ARG}"`);
  const exporter: SpanExporter = exporters.includes('zipkin')
    ? new (await import('@opentelemetry/exporter-zipkin')).ZipkinExporter({ url: env.OTEL_EXPORTER_ZIPKIN_ENDPOINT || ZIPKIN_DEFAULT })
    : new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  const { openTelemetrySetup } = await import('@graphql-hive/gateway/opentelemetry/setup');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  openTelemetrySetup({
    log: createLoggerFromLogging(logLevel),
    // No context manager: Node 20's AsyncLocalStorage runs a hook for every promise of the process. With
    // the two cuts below it took tracing's cost to query throughput from 31% to 7% (docs/benchmarks.md). The
    // plugin parents its spans through each request's own state instead, and ours are parented explicitly.
    contextManager: null,
    resource: { serviceName: env.OTEL_SERVICE_NAME || 'gateway' },
    traces: { exporter, batching: true },
    samplingRate: rate,
    propagators: [new W3CTraceContextPropagator()], // trace context only: a client's baggage stays here
  });
  on = true;
  return {
    useContextManager: false,
    // Hive's operation hash (a normalising walk of every document) was 5% of the gateway's CPU under load
    // with tracing on; the operation's name and document are on its span already.
    hashOperation: null,
    traces: {
      spans: {
        // Spans for GraphQL requests, not for health checks and scrapes.
        http: ({ request }) => new URL(request.url).pathname === '/graphql',
        // Parsing and validation come from a cache after a document's first request, and the context is
        // built in microseconds: three spans a request that tell nothing.
        graphqlContextBuilding: false,
        graphqlParse: false,
        graphqlValidate: false,
      },
    },
  };
}

function tracer() {
  return trace.getTracer('ordergraph-gateway');
}

/** `carrier` with the `traceparent` of the span that sends `request` to a subgraph added (nothing when it is not traced). */
export function withTraceparent<T extends Record<string, unknown>>(carrier: T, request: ExecutionRequest): T {
  if (!on) return carrier;
  const headers: Record<string, string> = {};
  propagation.inject(hive.getActiveContext({ executionRequest: request }), headers);
  return headers.traceparent ? { ...carrier, traceparent: headers.traceparent } : carrier;
}

/**
 * A subscription event's spans at the gateway. The subgraph sends each event with its delivery span's
 * context in `extensions.traceparent`; the event's span here runs from its arrival from the subgraph until
 * the plan has made the client's result of it (the entity fetch), and each client served from a shared
 * stream gets a span of its own, until its subscription takes the result (its socket's send follows).
 */
const arrived = new WeakMap<object, { parent: Context; at: number }>();
const events = new WeakMap<object, Context>();

/** An event from the subgraph, for the subscription whose GraphQL context is `key`. */
export function eventArrived(key: object | undefined, event: unknown) {
  if (!on || !key) return;
  const traceparent = (event as ExecutionResult | undefined)?.extensions?.traceparent;
  if (typeof traceparent !== 'string') return;
  arrived.set(key, { parent: propagation.extract(ROOT_CONTEXT, { traceparent }), at: Date.now() });
}

/** The client's result of the event that last arrived for `key`: its span ends now. */
export function eventExecuted(key: object | undefined, result: ExecutionResult) {
  if (!on || !key) return;
  const event = arrived.get(key);
  if (!event) return;
  arrived.delete(key);
  const span = tracer().startSpan('order-change event', {
    kind: SpanKind.CONSUMER,
    startTime: event.at,
    attributes: { 'ordergraph.changes': changesIn(result) },
  }, event.parent);
  events.set(result, trace.setSpan(event.parent, span));
  span.end();
}

/** `to` is `from` with something taken out (its cursor): the same event. */
export function sameEvent(from: ExecutionResult, to: ExecutionResult) {
  const event = on ? events.get(from) : undefined;
  if (event) events.set(to, event);
}

/**
 * A span for one client of a shared stream, from the event's result until the client asks for the next
 * one (an async iterator's client asks again once it has sent what it took).
 */
export function consumerSpan(result: ExecutionResult): Span | undefined {
  if (!on) return undefined;
  const event = events.get(result);
  if (!event) return undefined;
  return tracer().startSpan('order-change send', { kind: SpanKind.PRODUCER, attributes: { 'ordergraph.changes': changesIn(result) } }, event);
}
