import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useClient } from '../services';

const CHANGED = 'hds:notifications-changed';

/** Tells the bell (and any open list) that notifications were created or deleted. */
export function notifyNotificationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** Calls `fn` whenever notifications change in this tab. */
export function useNotificationsChanged(fn: () => void): void {
  useEffect(() => {
    window.addEventListener(CHANGED, fn);
    return () => window.removeEventListener(CHANGED, fn);
  }, [fn]);
}

/** The query the bell sends: only the count matters. */
const BELL_QUERY = { category: 'is_recipient', limit: 1 };

/**
 * Navbar bell: how many notifications name me as a recipient. Asked once per
 * page load, again when the tab regains focus and after this tab creates or
 * deletes a notification. A failure just hides the count.
 */
export function NotificationBell() {
  const client = useClient();
  const [count, setCount] = useState<number | null>(null);

  useEffect(() => {
    let controller: AbortController | null = null;
    const load = () => {
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      client
        .get('/api/v1/notifications/', { query: BELL_QUERY, signal: mine.signal })
        .then((page) => {
          if (!mine.signal.aborted) setCount(typeof page?.count === 'number' ? page.count : null);
        })
        .catch(() => {
          if (!mine.signal.aborted) setCount(null);
        });
    };
    load();
    const onVisible = () => {
      if (document.visibilityState === 'visible') load();
    };
    window.addEventListener(CHANGED, load);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      controller?.abort();
      window.removeEventListener(CHANGED, load);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [client]);

  const label =
    count === null
      ? 'Notifications'
      : `Notifications: ${count} ${count === 1 ? 'names' : 'name'} you as a recipient`;

  return (
    <Link to="/notifications?category=is_recipient" className="bell" aria-label={label} title={label}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
        />
      </svg>
      {count !== null && count > 0 && (
        <span className="bell-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
