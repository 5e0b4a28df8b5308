import { useEffect, useEffectEvent } from 'react';

/**
 * Calls `tick` every `intervalMs` while `active` (a running rollout's page asks for it again);
 * stops as soon as `active` turns false and when the component unmounts. A tab in the
 * background skips its ticks: nobody is looking, and it catches up on the next one after it is
 * shown again.
 */
export function usePolling(tick: () => void, active: boolean, intervalMs: number): void {
  const onTick = useEffectEvent(() => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    tick();
  });
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(onTick, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
}
