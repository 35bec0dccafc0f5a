import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError } from 'graphql';
import { viewerId } from '../auth.ts';
import { isAsyncIterable, passOn } from '../iterators.ts';

export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';

/** `source` that calls `release` once, when it ends, fails or its consumer leaves (iterators.ts). */
export function releasing<T>(source: AsyncIterable<T>, release: () => void): AsyncIterableIterator<T> {
  return passOn<T, T>(source, { next: (pull) => pull(), end: release });
}

/** Counts of open subscriptions by key, each refused past its limit. */
export class SubscriptionCounts<K> {
  private readonly open = new Map<K, number>();

  constructor(private readonly limit: number) {}

  /** Takes a place for `key`; `null` when it has `limit` already, else the function that gives it back (once). */
  take(key: K): (() => void) | null {
    const count = this.open.get(key) ?? 0;
    if (count >= this.limit) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }

  count(key: K): number {
    return this.open.get(key) ?? 0;
  }
}

/**
 * Caps the subscriptions one WebSocket connection may hold open, and those one viewer (the verified
 * token's `sub`) may hold across all their connections, WebSocket and SSE alike (a subscription
 * without a socket is an HTTP request streamed as Server-Sent Events), so one client cannot make the
 * gateway and orders-service hold thousands of streams over either road. The per-connection cap is
 * WebSocket's only: over SSE each subscription is a connection of its own. A subscription past a cap is
 * refused with `TOO_MANY_SUBSCRIPTIONS` (the others go on); a place is given back as soon as its
 * subscription ends or its client leaves (an SSE client's disconnect returns its stream). Registered
 * after the other subscription plugins, so it counts what clients asked for, shared or not.
 */
export const useSubscriptionLimits = (limits: { perConnection: number; perViewer: number }): GatewayPlugin => {
  const byConnection = new SubscriptionCounts<object>(limits.perConnection);
  const byViewer = new SubscriptionCounts<string>(limits.perViewer);
  const refusal = (message: string) => ({ errors: [new GraphQLError(message, { extensions: { code: TOO_MANY_SUBSCRIPTIONS } })] });
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const socket = (args.contextValue as { socket?: object } | undefined)?.socket;
      const viewer = viewerId(args.contextValue);
      if (!socket && viewer === undefined) return; // SSE without a token: one request, bounded like any request
      setSubscribeFn(async (subscribeArgs) => {
        const releaseConnection = socket ? byConnection.take(socket) : () => {};
        if (!releaseConnection) {
          return refusal(`This connection already has ${limits.perConnection} subscriptions open; end one first.`);
        }
        const releaseViewer = viewer === undefined ? () => {} : byViewer.take(viewer);
        if (!releaseViewer) {
          releaseConnection();
          return refusal(`You already have ${limits.perViewer} subscriptions open; end one first.`);
        }
        const release = () => {
          releaseConnection();
          releaseViewer();
        };
        try {
          const result = await subscribeFn(subscribeArgs);
          if (!isAsyncIterable(result)) {
            release();
            return result;
          }
          return releasing(result, release);
        } catch (err) {
          release();
          throw err;
        }
      });
    },
  };
};
