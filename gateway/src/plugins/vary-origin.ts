import type { GatewayPlugin } from '@graphql-hive/gateway';

/** The CORS answer depends on the request's Origin: tell caches so. */
export const useVaryOrigin = (): GatewayPlugin => ({
  onResponse({ response }) {
    response.headers.append('Vary', 'Origin');
  },
});
