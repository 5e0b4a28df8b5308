import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface BaseProps {
  label: string;
  /** Messages from the API for this field. */
  errors?: string[];
  hint?: ReactNode;
}

function describedBy(hintId: string, errorId: string, hint: ReactNode, errors: string[] | undefined) {
  return [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined;
}

export function TextField({ label, errors, hint, ...input }: BaseProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={errors?.length ? 'field has-error' : 'field'}>
      <label htmlFor={id}>
        {label}
        {input.required && <span className="required" aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        {...input}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, errors)}
      />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField({
  label,
  errors,
  hint,
  children,
  ...select
}: BaseProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={errors?.length ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        {...select}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, errors)}
      >
        {children}
      </select>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export function CheckboxField({ label, hint, ...input }: Omit<BaseProps, 'errors'> & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field field-checkbox">
      <input id={id} type="checkbox" {...input} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** Errors that belong to no field (or to fields the form does not show). */
export function FormErrors({ errors, shown }: { errors: Record<string, string[]>; shown: string[] }) {
  const rest = Object.entries(errors).filter(([field]) => !shown.includes(field));
  if (rest.length === 0) return null;
  return (
    <div className="form-errors" role="alert">
      <ul>
        {rest.map(([field, messages]) => (
          <li key={field}>{field ? `${field}: ${messages.join(' ')}` : messages.join(' ')}</li>
        ))}
      </ul>
    </div>
  );
}
