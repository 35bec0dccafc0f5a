import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { tokenExpiry } from '../auth.ts';
import { isAsyncIterable } from '../iterators.ts';

export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';

/** setTimeout's largest delay (2^31-1 ms, about 24.8 days); a longer one fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** What a subscription's client gets when its token expires: one result with this error, then complete. */
export function tokenExpiredResult(): ExecutionResult {
  return {
    errors: [
      new GraphQLError('Your token expired; renew it and subscribe again with after: <last cursor>.', {
        extensions: { code: TOKEN_EXPIRED },
      }),
    ],
  };
}

function saysTokenExpired(result: unknown): boolean {
  return ((result as ExecutionResult)?.errors ?? []).some((e) => e.extensions?.code === TOKEN_EXPIRED);
}

/**
 * `source` until `expiresAt` (epoch ms): then its client gets exactly one {@link tokenExpiredResult}, even
 * while it waits for an event that has not come, the iterator completes, and `source` is returned at
 * once (so a shared upstream subscription loses this consumer, and ends when it was the last). A result
 * that arrives past `expiresAt` is not passed on; neither is anything after the subgraph's own
 * TOKEN_EXPIRED (it ends subscriptions at `exp` too). The timer is cleared when the subscription ends
 * first, and re-armed in steps for an expiry beyond setTimeout's range.
 *
 * Not an async generator, for the reason in iterators.ts, and not a passOn wrapper either: the error due
 * at expiry must answer a `next()` that is still waiting for the source, which passOn never does.
 */
export function untilExpiry(source: AsyncIterable<ExecutionResult>, expiresAt: number,
                            now: () => number = Date.now): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  /** `open`, then `expired` (the error is due but not yet taken), then `ended`. */
  let state: 'open' | 'expired' | 'ended' = 'open';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;

  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  let released = false;
  const releaseSource = () => {
    if (released) return;
    released = true;
    Promise.resolve(iterator.return?.()).catch(() => {});
  };
  const expire = () => {
    if (state !== 'open') return;
    stopTimer();
    releaseSource();
    const client = waiting;
    waiting = undefined;
    if (client) {
      state = 'ended';
      client({ value: tokenExpiredResult(), done: false });
    } else {
      state = 'expired';
    }
  };
  const arm = () => {
    const left = expiresAt - now();
    if (left <= 0) {
      expire();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMEOUT_MS));
  };
  arm();

  return {
    next() {
      if (state === 'expired') {
        state = 'ended';
        return Promise.resolve({ value: tokenExpiredResult(), done: false });
      }
      if (state === 'ended') return Promise.resolve({ value: undefined, done: true });
      return new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
        waiting = resolve;
        iterator.next().then(
          (result) => {
            if (waiting !== resolve) return; // answered by the expiry, or by return()
            waiting = undefined;
            if (result.done) {
              state = 'ended';
              stopTimer();
            } else if (now() >= expiresAt) {
              waiting = resolve;
              expire(); // the timer has not run yet: the result came too late to be passed on
              return;
            } else if (saysTokenExpired(result.value)) {
              state = 'ended';
              stopTimer();
              releaseSource();
            }
            resolve(result);
          },
          (err) => {
            if (waiting !== resolve) return;
            waiting = undefined;
            state = 'ended';
            stopTimer();
            reject(err);
          },
        );
      });
    },
    return() {
      state = 'ended';
      stopTimer();
      const client = waiting;
      waiting = undefined;
      client?.({ value: undefined, done: true });
      releaseSource();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * A subscription ends when its token expires (API.md): at the verified token's `exp` its client gets one
 * `TOKEN_EXPIRED` error and then `complete`, over WebSocket and SSE alike, shared or not, and nothing
 * committed after the expiry reaches it. Clients renew the token and subscribe again with `after`.
 * Registered after useSharedSubscriptions and useSubscriptionLimits, so it wraps each client's own
 * consumer: a client's expiry ends only its place in a shared stream, and gives back its place under
 * the subscription caps.
 */
export const useTokenExpiry = (): GatewayPlugin => ({
  onSubscribe({ args, subscribeFn, setSubscribeFn }) {
    const exp = tokenExpiry(args.contextValue);
    if (exp === undefined) return;
    setSubscribeFn(async (subscribeArgs) => {
      const result = await subscribeFn(subscribeArgs);
      if (!isAsyncIterable(result)) return result;
      return untilExpiry(result as AsyncIterable<ExecutionResult>, exp * 1000);
    });
  },
});
