// The largest WebSocket message the gateway takes. Hive Gateway's CLI makes its WebSocket server itself
// (`new WebSocketServer({ path, server })` in startNodeHttpServer, @graphql-hive/gateway 2.15.1) and offers
// no option for ws's `maxPayload`, which defaults to 100 MiB: a client could make the gateway buffer
// 100 MiB per message, and MAX_REQUEST_BYTES, which bounds HTTP bodies, would not apply to queries sent
// over WebSocket.
import { WebSocketServer } from 'ws';

const LIMIT = Symbol.for('ordergraph.gateway.maxWebSocketMessageBytes');

type LimitedServer = { prototype: { handleUpgrade: (...args: unknown[]) => unknown; [LIMIT]?: number } };

/**
 * Makes every ws `WebSocketServer` of this process take messages of at most `maxBytes`: larger ones are
 * refused by ws as soon as a frame's header announces them, before their payload is buffered, and the
 * connection is closed with 1009 (Message Too Big). Call it before the server accepts connections;
 * gateway.config.ts does, and the CLI imports it before it creates the server (`loadConfig`, then
 * `createGatewayRuntime`, then `startServerForRuntime`).
 *
 * How: `handleUpgrade` is ws's public entry for every upgrade (the server's own 'upgrade' listener calls
 * `this.handleUpgrade`), and reads `this.options.maxPayload` for the new socket's receiver and for
 * permessage-deflate; the wrapper lowers that option first. Patched once per process; calling it again
 * changes the limit. Fails at start if ws changes shape.
 */
export function limitWebSocketMessages(maxBytes: number, server: LimitedServer = WebSocketServer as unknown as LimitedServer): void {
  const prototype = server.prototype;
  if (typeof prototype.handleUpgrade !== 'function') {
    throw new Error('ws has no WebSocketServer.prototype.handleUpgrade: cannot limit WebSocket message size');
  }
  const patched = LIMIT in prototype;
  prototype[LIMIT] = maxBytes;
  if (patched) return;
  const handleUpgrade = prototype.handleUpgrade;
  prototype.handleUpgrade = function (this: { options: { maxPayload?: number }; [LIMIT]?: number }, ...args: unknown[]) {
    const limit = this[LIMIT]!;
    const current = this.options.maxPayload ?? 0;
    if (!(current > 0 && current <= limit)) this.options.maxPayload = limit; // 0 would mean no limit
    return handleUpgrade.apply(this, args);
  };
}
