/**
 * The one pattern of every Settings action: a button (disabled with the engine's reason when the
 * action is not possible), and an inline confirmation that names what changes. Escape or Cancel
 * closes it and the focus returns to the button.
 */
import { useRef } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { InlineConfirm } from '../../components/inline-confirm';
import { useSettings, type SettingsAction } from '../../stores/settings-store';

export interface ConfirmActionProps {
  action: SettingsAction;
  /** Prefix of the element ids (`<id>-confirm`, `<id>-why`). */
  id: string;
  label: string;
  title: string;
  confirmLabel: string;
  busyLabel: string;
  tone?: 'primary' | 'danger';
  /** Why the action is not possible now (the engine's answer), or null. */
  why: { code?: string; message: string } | null;
  /** Ids of other text describing the button (a warning). */
  describedBy?: string;
  children?: ReactNode;
}

export function ConfirmAction(p: ConfirmActionProps) {
  const s = useSettings(useShallow((x) => ({ confirming: x.confirming, busy: x.busy, ask: x.ask, dismiss: x.dismiss, confirm: x.confirm })));
  const trigger = useRef<HTMLButtonElement>(null);
  const dismiss = () => {
    s.dismiss();
    requestAnimationFrame(() => trigger.current?.focus());
  };
  if (s.confirming === p.action) {
    return (
      <InlineConfirm id={`${p.id}-confirm`} title={p.title} onDismiss={dismiss}>
        {p.children}
        <div className="actions actions-inline">
          <button type="button" className={p.tone ?? 'primary'} onClick={() => void s.confirm()} disabled={s.busy}>
            {s.busy ? p.busyLabel : p.confirmLabel}
          </button>
          <button type="button" onClick={dismiss} disabled={s.busy}>
            Cancel
          </button>
        </div>
      </InlineConfirm>
    );
  }
  const described = [p.why ? `${p.id}-why` : null, p.describedBy ?? null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="actions actions-inline">
      <button ref={trigger} type="button" onClick={() => s.ask(p.action)} disabled={s.busy || p.why !== null} aria-describedby={described}>
        {p.label}
      </button>
      {p.why && (
        <p className="reason" id={`${p.id}-why`} data-code={p.why.code}>
          {p.why.message}
        </p>
      )}
    </div>
  );
}
