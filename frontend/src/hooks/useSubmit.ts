import { useCallback, useState } from 'react';
import { fieldErrors } from '../api/errors';

/**
 * State of a form that writes to the API: pending flag, the API's 400 field
 * errors (`{"detail":{"field":["msg"]}}`, flattened) and any other failure
 * (403, 404, network) for an ErrorState card. A 403 never ends the session.
 */
export function useSubmit() {
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
    setPending(true);
    setErrors({});
    setFailure(null);
    try {
      return { ok: true, value: await action() };
    } catch (error) {
      const fields = fieldErrors(error);
      if (Object.keys(fields).length) setErrors(fields);
      else setFailure(error);
      return { ok: false };
    } finally {
      setPending(false);
    }
  }, []);

  return { pending, errors, failure, run };
}
