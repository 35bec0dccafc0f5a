import type { GatewayPlugin } from '@graphql-hive/gateway';

/** Wall-clock time covered by at least one of `intervals` ([start, end] in ms), overlaps counted once. */
export function covered(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of sorted) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/** The `Server-Timing` value for a request that took `total` ms, of which `upstream` waiting for subgraphs. */
export function serverTiming(total: number, upstream: number): string {
  const ms = (value: number) => Math.max(0, value).toFixed(2);
  return `gateway;dur=${ms(total - upstream)};desc="own time", subgraphs;dur=${ms(upstream)}, total;dur=${ms(total)}`;
}

/**
 * The gateway's own time per HTTP request, from its own timings, in a `Server-Timing` header (what
 * browsers' developer tools show, and what the benchmarks read): the request's time from its arrival to its
 * response, less the time during which at least one subgraph call was in flight (the calls on its critical
 * path; parallel ones count once). Parsing, validation, planning, merging and serializing are what is left.
 * Off unless `SERVER_TIMING=true`: the durations tell a client how long the subgraphs take. Streams (SSE
 * subscriptions) and WebSocket messages get none.
 */
export const useServerTiming = (): GatewayPlugin => {
  const timings = new WeakMap<Request, { start: number; calls: [number, number][] }>();
  return {
    onRequest({ request }) {
      timings.set(request, { start: performance.now(), calls: [] });
    },
    onSubgraphExecute({ executionRequest }) {
      const request: Request | undefined = executionRequest.context?.request;
      const timing = request && timings.get(request);
      if (!timing) return;
      const begun = performance.now();
      return () => {
        timing.calls.push([begun, performance.now()]);
      };
    },
    onResponse({ request, response }) {
      const timing = timings.get(request);
      if (!timing) return;
      timings.delete(request);
      if (response.headers.get('content-type')?.includes('text/event-stream')) return;
      response.headers.set('Server-Timing', serverTiming(performance.now() - timing.start, covered(timing.calls)));
    },
  };
};
