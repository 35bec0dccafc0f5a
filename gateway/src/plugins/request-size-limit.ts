import type { GatewayPlugin } from '@graphql-hive/gateway';

/**
 * Refuses a request whose declared body is larger than `maxBytes` before reading it: the token limit
 * does not catch a single 1 MB string, and no operation of this API needs such a body.
 */
export const useRequestSizeLimit = (maxBytes: number): GatewayPlugin => ({
  onRequest({ request, endResponse, fetchAPI }) {
    const length = Number(request.headers.get('content-length') ?? 0);
    if (length > maxBytes) {
      const body = {
        errors: [{
          message: `The request body is ${length} bytes; at most ${maxBytes} are accepted.`,
          extensions: { code: 'REQUEST_TOO_LARGE' },
        }],
      };
      endResponse(new fetchAPI.Response(JSON.stringify(body), {
        status: 413,
        headers: { 'content-type': 'application/json' },
      }));
    }
  },
});
