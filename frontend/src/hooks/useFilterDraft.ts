import { useCallback, useState, type FormEvent } from 'react';

export interface FilterDraft<D> {
  /** The values being edited (not applied yet). */
  draft: D;
  /** Changes one value of the draft. */
  set: <K extends keyof D>(key: K, value: D[K]) => void;
  /** Changes the draft from its current value. */
  update: (change: (draft: D) => D) => void;
  /** The draft differs from what is applied. */
  dirty: boolean;
  /** Applies the draft (a form's onSubmit). */
  submit: (event?: FormEvent) => void;
  /** Replaces the draft with `values` and applies them ("Clear filters"). */
  reset: (values: D) => void;
}

/**
 * Filters edited in a panel and applied on submit: one request and one history entry per
 * "Apply", not one per keystroke. `applied` is what the address holds now; when it changes
 * from elsewhere (Back/Forward, a removed chip, a link) the draft follows it. `identity`
 * tells two values apart (default: their JSON).
 */
export function useFilterDraft<D>(
  applied: D,
  onApply: (values: D) => void,
  identity: (values: D) => string = JSON.stringify,
): FilterDraft<D> {
  const appliedId = identity(applied);
  const [state, setState] = useState({ basis: appliedId, draft: applied });
  let draft = state.draft;
  if (state.basis !== appliedId) {
    // Applied from elsewhere: start again from it (React re-renders at once, before painting).
    setState({ basis: appliedId, draft: applied });
    draft = applied;
  }

  const set = useCallback(<K extends keyof D>(key: K, value: D[K]) => {
    setState((s) => ({ ...s, draft: { ...s.draft, [key]: value } }));
  }, []);
  const update = useCallback((change: (draft: D) => D) => {
    setState((s) => ({ ...s, draft: change(s.draft) }));
  }, []);

  return {
    draft,
    set,
    update,
    dirty: identity(draft) !== appliedId,
    submit: (event?: FormEvent) => {
      event?.preventDefault();
      onApply(draft);
    },
    reset: (values: D) => {
      setState((s) => ({ ...s, draft: values }));
      onApply(values);
    },
  };
}
