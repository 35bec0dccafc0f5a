import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Rows marked as just changed, by order id: what each mark says (`{ fields, whole, previous, note }`,
 * see changeNotes.marksOf, and `seq`, different for each `mark` call); each clears itself after `durationMs`. A new mark of a row replaces its
 * mark (and restarts the time): the row tells of its latest change. `mark(marks)` marks many at once
 * with one state update and one timer, so a batch of a thousand changes costs one render and one copy
 * of the map, not one of each per row.
 */
export function useChangeMarks(durationMs = 3000) {
  const [marked, setMarked] = useState(() => new Map());
  // When each id's mark ends; a timer clears only the ids whose mark it set and no later mark restarted.
  const ends = useRef(new Map());
  const timers = useRef(new Set());
  const calls = useRef(0); // numbers each mark, so a cell marked again can restart its highlight

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const mark = useCallback(
    (marks) => {
      const list = [...marks];
      if (list.length === 0) return;
      const end = Date.now() + durationMs;
      calls.current += 1;
      const seq = calls.current;
      list.forEach(({ id }) => ends.current.set(id, end));
      setMarked((current) => {
        const next = new Map(current);
        list.forEach((entry) => next.set(entry.id, { ...entry, seq }));
        return next;
      });
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        // Compared by identity of the end, not with the clock: a timer may fire a little early.
        const expired = list.filter(({ id }) => ends.current.get(id) === end).map(({ id }) => id);
        if (expired.length === 0) return;
        expired.forEach((id) => ends.current.delete(id));
        setMarked((current) => {
          const next = new Map(current);
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
