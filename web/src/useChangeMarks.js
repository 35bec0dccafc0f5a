import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Ids marked as just changed; each mark clears itself after `durationMs` (restarted by a new mark).
 * `mark(ids)` marks many at once with one state update and one timer, so a batch of a thousand
 * changes costs one render and one copy of the set, not one of each per id.
 */
export function useChangeMarks(durationMs = 3000) {
  const [marked, setMarked] = useState(() => new Set());
  // When each id's mark ends; a timer clears only the ids whose mark it set and no later mark restarted.
  const ends = useRef(new Map());
  const timers = useRef(new Set());

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const mark = useCallback(
    (ids) => {
      const list = [...ids];
      if (list.length === 0) return;
      const end = Date.now() + durationMs;
      list.forEach((id) => ends.current.set(id, end));
      setMarked((current) => {
        const unmarked = list.filter((id) => !current.has(id));
        if (unmarked.length === 0) return current;
        const next = new Set(current);
        unmarked.forEach((id) => next.add(id));
        return next;
      });
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        // Compared by identity of the end, not with the clock: a timer may fire a little early.
        const expired = list.filter((id) => ends.current.get(id) === end);
        if (expired.length === 0) return;
        expired.forEach((id) => ends.current.delete(id));
        setMarked((current) => {
          const next = new Set(current);
          expired.forEach((id) => next.delete(id));
          return next;
        });
      }, durationMs);
      timers.current.add(timer);
    },
    [durationMs],
  );

  return [marked, mark];
}
