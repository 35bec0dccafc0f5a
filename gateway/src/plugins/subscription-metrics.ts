import type { GatewayPlugin } from '@graphql-hive/gateway';
import { Gauge, register } from 'prom-client';

/**
 * Gauges on /metrics (the registry Hive Gateway's Prometheus plugin serves): client subscriptions
 * served from shared streams, and those streams (each one upstream subscription to a subgraph).
 */
export const useSubscriptionMetrics = (stats: { readonly consumers: number; readonly streams: number }): GatewayPlugin => ({
  onPluginInit() {
    for (const [name, help, read] of [
      ['ordergraph_gateway_shared_subscriptions', 'Client subscriptions served from a shared upstream subscription', () => stats.consumers],
      ['ordergraph_gateway_shared_streams', 'Upstream subscriptions shared by identical client subscriptions of one viewer scope', () => stats.streams],
    ] as const) {
      if (register.getSingleMetric(name)) continue;
      new Gauge({ name, help, collect() { this.set(read()); } });
    }
  },
});
