import { useCallback, useState } from 'react';

function read(key: string | null): boolean | null {
  if (key === null) return null;
  try {
    const value = globalThis.localStorage?.getItem(key);
    return value === 'true' ? true : value === 'false' ? false : null;
  } catch {
    return null;
  }
}

/**
 * A yes/no choice kept in localStorage under `key` (e.g. whether a filter panel is open), so
 * it is the same on the next visit. `initial` is used until the user has chosen. A null key
 * keeps the choice for this page only.
 */
export function useStoredFlag(key: string | null, initial: boolean | (() => boolean)): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => read(key) ?? (typeof initial === 'function' ? initial() : initial));
  const set = useCallback(
    (next: boolean) => {
      setValue(next);
      if (key === null) return;
      try {
        globalThis.localStorage?.setItem(key, String(next));
      } catch {
        // Private mode or storage full: the choice lasts for this page only.
      }
    },
    [key],
  );
  return [value, set];
}
