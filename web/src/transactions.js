// Holds a transaction's changes until its last one (`transaction.last`) has arrived, so that the page
// shows a transaction at once: a batch normally holds whole transactions, but one with more changes
// than the batch bound spans several batches.

/** @returns {{ take: (changes: object[]) => object[], reset: () => void }} */
export function createTransactionBuffer() {
  let open = []; // changes of a transaction whose last change has not arrived yet

  return {
    /** `changes` (commit order) after those held: returns the whole transactions, holds the rest. */
    take(changes) {
      const all = open.length ? open.concat(changes) : changes;
      let end = all.length;
      while (end > 0 && !all[end - 1].transaction.last) end -= 1;
      // A change of another transaction while one is open: that one's end never came (it cannot, in
      // commit order), so what was held of it is let go rather than held back for good.
      if (end === 0 && open.length && all.at(-1).transaction.id !== open[0].transaction.id) end = all.length;
      open = all.slice(end);
      return end === all.length ? all : all.slice(0, end);
    },
    /** Lets go of what is held: a subscription that resumes after the last change taken sends it again. */
    reset() {
      open = [];
    },
  };
}
