import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Wider dialog for forms with several columns. */
  wide?: boolean;
}

/**
 * A modal dialog on the native `<dialog>` element: the browser traps focus,
 * makes the page behind inert and closes it on Escape. Render it only while
 * it is open; focus goes back to where it was when it closes.
 */
export function Modal({ title, onClose, children, wide = false }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') {
      try {
        dialog.showModal();
      } catch {
        dialog.setAttribute('open', '');
      }
    } else {
      // Environments without showModal (jsdom) get a plain open dialog.
      dialog.setAttribute('open', '');
    }
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      previous?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'modal modal-wide' : 'modal'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (outside the dialog box) closes it.
        if (event.target === ref.current) {
          const box = ref.current.getBoundingClientRect();
          const { clientX: x, clientY: y } = event;
          if (box.width && (x < box.left || x > box.right || y < box.top || y > box.bottom)) onClose();
        }
      }}
    >
      <div className="modal-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="modal-close" aria-label="Close" onClick={() => onClose()}>
          ×
        </button>
      </div>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  pending?: boolean;
  danger?: boolean;
  /** Shown inside the dialog, e.g. the API's refusal. */
  error?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending = false,
  danger = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  return (
    <Modal title={title} onClose={onCancel}>
      <div className="confirm-text">{children}</div>
      {error}
      <div className="form-actions modal-actions">
        <button
          type="button"
          className={danger ? 'button button-danger-solid' : 'button button-primary'}
          onClick={onConfirm}
          disabled={pending}
        >
          {pending ? (pendingLabel ?? `${confirmLabel}…`) : confirmLabel}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
