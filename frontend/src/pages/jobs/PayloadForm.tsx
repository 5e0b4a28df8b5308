/**
 * A job's payload form, generated from its job schema.
 *
 * The library is react-jsonschema-form (`@rjsf/core` + `@rjsf/utils` + `@rjsf/validator-ajv8`,
 * v6): the JSON-Schema form library the original app used, maintained, React 18 and 19 alike,
 * no UI kit and no lodash; its core theme renders plain inputs that styles.css dresses (only its
 * icon buttons, drawn with a Bootstrap 3 icon font, are replaced below by buttons with words).
 * With AJV it weighs more than the rest of the app, so only `ScheduleJobPage` imports it, with
 * a dynamic `import()`, and the validator (`@rjsf/validator-ajv8`) in a second one, fetched at
 * the same time: neither is in the first bundle (`npm run budget`).
 *
 * AJV compiles each schema to a function (`new Function`): a Content-Security-Policy on the
 * app would have to allow `'unsafe-eval'` for this page, or the page would have to leave the
 * checking to the server.
 */
import Form from '@rjsf/core';
import { TranslatableString, type ErrorSchema, type IconButtonProps, type RJSFSchema, type RJSFValidationError, type UiSchema, type ValidatorType } from '@rjsf/utils';
import { useImperativeHandle, useRef, type RefObject } from 'react';
import type { ErrorTree } from '../../api/jobs';

/** What the page may ask of the form. */
export interface PayloadFormHandle {
  /** Checks the payload against the schema and shows what is wrong next to each field. */
  validate: () => boolean;
}

/** Arrows for the moves; the other actions keep rjsf's words. */
const SHORT: Record<string, string> = { [TranslatableString.MoveUpButton]: '↑', [TranslatableString.MoveDownButton]: '↓' };

/** An rjsf action button with words instead of an icon (`title` is rjsf's translated label). */
function TextButton({ title, className, iconType, onClick, disabled, id }: IconButtonProps) {
  return (
    <button
      type="button"
      id={id}
      className={['button', 'button-small', iconType === 'danger' ? 'button-danger' : '', className ?? ''].filter(Boolean).join(' ')}
      title={title}
      aria-label={title}
      onClick={onClick}
      disabled={disabled}
    >
      {(title && SHORT[title]) ?? title}
    </button>
  );
}

/** An rjsf button template: rjsf's callers give no title, each template names its action. */
function labelled(action: TranslatableString, danger = false) {
  return function ActionButton(props: IconButtonProps) {
    return <TextButton {...props} title={props.title ?? props.registry.translateString(action)} iconType={danger ? 'danger' : props.iconType} />;
  };
}

const AddItemButton = labelled(TranslatableString.AddItemButton);

/** "Add Item" under an array. */
function AddButton(props: IconButtonProps) {
  return (
    <div className="schema-form-add">
      <AddItemButton {...props} />
    </div>
  );
}

const UI_SCHEMA: UiSchema = { 'ui:submitButtonOptions': { norender: true } };

const TEMPLATES = {
  ButtonTemplates: {
    AddButton,
    RemoveButton: labelled(TranslatableString.RemoveButton, true),
    MoveUpButton: labelled(TranslatableString.MoveUpButton),
    MoveDownButton: labelled(TranslatableString.MoveDownButton),
    CopyButton: labelled(TranslatableString.CopyButton),
    ClearButton: labelled(TranslatableString.ClearButton),
  },
};

export interface PayloadFormProps {
  /** The form's schema (`payloadFormSchema` of the job schema). */
  schema: Record<string, unknown>;
  value: Record<string, unknown>;
  onChange: (payload: Record<string, unknown>) => void;
  /** The API's 400 for the payload, by field. */
  serverErrors?: ErrorTree;
  handle: RefObject<PayloadFormHandle | null>;
  disabled?: boolean;
}

/** The form, checking with `validator` (AJV, loaded apart from it). */
export function withValidator(validator: ValidatorType) {
  return function ValidatedPayloadForm(props: PayloadFormProps) {
    return <PayloadForm {...props} validator={validator} />;
  };
}

function PayloadForm({
  schema,
  value,
  onChange,
  serverErrors,
  handle,
  disabled = false,
  validator,
}: PayloadFormProps & { validator: ValidatorType }) {
  const form = useRef<Form<Record<string, unknown>>>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  useImperativeHandle(handle, () => ({ validate: () => form.current?.validateForm() ?? true }), []);

  // rjsf's own focusing looks the field up in `form.elements`, which a <div> does not have.
  const focusError = (error: RJSFValidationError) => {
    const id = ['payload', ...(error.property ?? '').split('.').filter(Boolean)].join('_');
    const field = wrapper.current?.querySelector<HTMLElement>(`[id="${CSS.escape(id)}"], input[id^="${CSS.escape(id)}"]`);
    field?.focus();
  };

  return (
    <div className="schema-form" ref={wrapper}>
      <Form<Record<string, unknown>>
        ref={form}
        // Not a <form>: the page's own form holds this one, the harvesters and the time.
        tagName="div"
        schema={schema as RJSFSchema}
        uiSchema={UI_SCHEMA}
        validator={validator}
        formData={value}
        onChange={(e) => onChange((e.formData ?? {}) as Record<string, unknown>)}
        extraErrors={serverErrors as ErrorSchema<Record<string, unknown>> | undefined}
        templates={TEMPLATES}
        showErrorList={false}
        noHtml5Validate
        focusOnFirstError={focusError}
        // The errors show next to their fields; without a handler rjsf logs them too.
        onError={() => undefined}
        disabled={disabled}
        idPrefix="payload"
      />
    </div>
  );
}
