import { useEffect, useState, type ComponentType } from 'react';
import { ErrorState } from './ErrorState';
import { Loading } from './Loading';

export type LazyPage<P extends object> = ComponentType<P> & {
  /** Starts loading the page's chunk (once); resolves when it can render without waiting. */
  preload: () => Promise<ComponentType<P>>;
};

/**
 * A page in its own chunk, loaded on first use: "Loading page…" (or `label`)
 * until the chunk is there, then the page; a chunk that cannot be fetched gets
 * an error card with a retry. Also for a heavy part of a page (the job payload
 * form), which then loads only when that page shows it.
 *
 * Deliberately not `React.lazy` + `<Suspense>`: React keeps a Suspense fallback
 * on screen for at least 300 ms once shown (its reveal throttle), so every
 * first visit of a page would wait that long even when the chunk arrives in
 * 20 ms. Here the page renders in the same frame the chunk arrives, and at once
 * when it was already loaded (or preloaded, see `prefetchRoute`).
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>, label = 'Loading page…'): LazyPage<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;

  const preload = () => {
    pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = null; // a retry fetches again
        throw error;
      },
    );
    return pending;
  };

  function Page(props: P) {
    const [, setReady] = useState(loaded !== null);
    const [error, setError] = useState<unknown>(null);
    const [attempt, setAttempt] = useState(0);

    useEffect(() => {
      if (loaded) return;
      let live = true;
      preload().then(
        () => live && setReady(true),
        (e: unknown) => live && setError(e),
      );
      return () => {
        live = false;
      };
    }, [attempt]);

    const Loaded = loaded;
    if (Loaded) return <Loaded {...props} />;
    if (error) {
      return (
        <ErrorState
          error={error}
          title="This page could not be loaded"
          onRetry={() => {
            setError(null);
            setAttempt((n) => n + 1);
          }}
        />
      );
    }
    return <Loading label={label} />;
  }

  return Object.assign(Page, { preload });
}
