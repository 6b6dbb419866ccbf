import { useCallback, useEffect, useMemo, useRef } from 'react';

export interface DebouncedCallback<A extends unknown[]> {
  /** Schedules the call; each new call restarts the wait. */
  run: (...args: A) => void;
  /** Runs a pending call now (e.g. on Enter). */
  flush: () => void;
  cancel: () => void;
}

/** Debounces a callback; the latest callback is used when the timer fires, and unmount cancels it. */
export function useDebouncedCallback<A extends unknown[]>(
  callback: (...args: A) => void,
  delayMs: number,
): DebouncedCallback<A> {
  const callbackRef = useRef(callback);
  const timerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pendingRef = useRef<A | undefined>(undefined);

  useEffect(() => {
    callbackRef.current = callback;
  }, [callback]);

  const cancel = useCallback(() => {
    clearTimeout(timerRef.current);
    timerRef.current = undefined;
    pendingRef.current = undefined;
  }, []);

  const flush = useCallback(() => {
    const args = pendingRef.current;
    cancel();
    if (args) callbackRef.current(...args);
  }, [cancel]);

  const run = useCallback(
    (...args: A) => {
      clearTimeout(timerRef.current);
      pendingRef.current = args;
      timerRef.current = setTimeout(flush, delayMs);
    },
    [delayMs, flush],
  );

  useEffect(() => cancel, [cancel]);

  return useMemo(() => ({ run, flush, cancel }), [run, flush, cancel]);
}
