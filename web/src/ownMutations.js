// This page's own mutations, recognised when they come back through the change feed.
//
// Every mutation the page sends carries a `clientMutationId` made here; the service puts it on the
// change's `origin` (visible to the actor, who is this page's viewer). The page shows the mutation at
// once (an optimistic layer), and its result is applied to the cache once: by the payload or by the
// echo, whichever comes first. The other one only reconciles:
//
// - payload first: the echo is not written again when the cache already shows its image (it would
//   change nothing); it is written when the cache differs (a refetch that read before the mutation
//   landed after it), since the echo is the committed state. Either way it is not marked: the viewer
//   made it.
// - echo first: the payload is not written, since later changes may already have followed the echo.
//
// Changes reach the page in commit order, so a change to an order that arrives after the payload was
// applied but before its echo was committed before the mutation: writing it would bring the older
// state back until the echo restores the newer (a flicker). It is left out, for a while at most
// (should the echo never come: a subscription that lost its place refetches the table instead).
const HOLD_OFF_MS = 30_000;
const FORGET_AFTER_MS = 10 * 60_000; // an echo later than this is shown as anyone else's change

function randomPrefix() {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes); // also where crypto.randomUUID is not (a page served over plain http)
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * @returns {{
 *   begin: (orderId: string) => string,
 *   settle: (clientMutationId: string, saved: boolean) => boolean,
 *   lost: (clientMutationId: string) => void,
 *   sort: (changes: object[], shows: (order: object) => boolean) => { write: object[], news: object[] },
 * }}
 */
export function createOwnMutations(now = Date.now) {
  const prefix = `web-${randomPrefix()}`;
  let count = 0;
  // clientMutationId -> { orderId, startedAt, settled, appliedAt (payload written), echoed }
  const sent = new Map();

  function forgetOld() {
    const horizon = now() - FORGET_AFTER_MS;
    for (const [id, entry] of sent) if (entry.startedAt < horizon) sent.delete(id);
  }

  /** Whether a mutation of ours other than `except`, already shown from its payload, awaits its echo. */
  function heldOff(orderId, except) {
    const since = now() - HOLD_OFF_MS;
    for (const entry of sent.values()) {
      if (entry !== except && entry.orderId === orderId && !entry.echoed && entry.appliedAt >= since) return true;
    }
    return false;
  }

  return {
    /** A new mutation of `orderId`: the clientMutationId to send with it. */
    begin(orderId) {
      forgetOld();
      count += 1;
      const id = `${prefix}-${count}`;
      sent.set(id, { orderId, startedAt: now(), settled: false, appliedAt: -Infinity, echoed: false });
      return id;
    },

    /**
     * Its payload arrived; `saved`: the order was saved (an order and no errors). Returns whether to
     * write the payload's order: not when nothing was saved, nor when the echo came first.
     */
    settle(id, saved) {
      const entry = sent.get(id);
      if (!entry) return saved;
      entry.settled = true;
      if (!saved || entry.echoed) {
        sent.delete(id);
        return false;
      }
      entry.appliedAt = now();
      return true;
    },

    /** It failed without a payload: whether it was saved is unknown; if it was, its echo shows it. */
    lost(id) {
      const entry = sent.get(id);
      if (entry) entry.settled = true;
    },

    /**
     * Arriving changes, in commit order: `write` those to apply to the cache, `news` those someone
     * else made (to mark). `shows(order)`: whether the cache already holds this image of the order.
     */
    sort(changes, shows) {
      if (sent.size === 0) return { write: changes, news: changes };
      forgetOld();
      const write = [];
      const news = [];
      for (const change of changes) {
        const id = change.origin?.clientMutationId;
        const entry = id == null ? undefined : sent.get(id);
        if (entry) {
          entry.echoed = true;
          if (entry.settled) sent.delete(id);
        }
        if (heldOff(change.order.id, entry)) continue;
        if (entry) {
          if (!(entry.appliedAt > -Infinity && shows(change.order))) write.push(change);
          continue;
        }
        write.push(change);
        news.push(change);
      }
      return { write, news };
    },
  };
}
