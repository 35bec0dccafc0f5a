import { useCallback, useEffect, useRef, useState } from 'react';

/** Ids marked as just changed; each mark clears itself after `durationMs` (restarted by a new mark). */
export function useChangeMarks(durationMs = 3000) {
  const [marked, setMarked] = useState(() => new Set());
  const timers = useRef(new Map());

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const mark = useCallback(
    (id) => {
      clearTimeout(timers.current.get(id));
      setMarked((current) => (current.has(id) ? current : new Set(current).add(id)));
      timers.current.set(
        id,
        setTimeout(() => {
          timers.current.delete(id);
          setMarked((current) => {
            const next = new Set(current);
            next.delete(id);
            return next;
          });
        }, durationMs),
      );
    },
    [durationMs],
  );

  return [marked, mark];
}
