/** Advanced → Undo rollback: the seed's manual registry edit, done safely, behind a warning. Open by itself while a rollback is active. */
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { InlineConfirm } from '../../components/inline-confirm';
import { useSettings } from '../../stores/settings-store';
import { slotsOf } from '../../slots-of';

export function AdvancedPanel() {
  const s = useSettings(useShallow((x) => ({ raw: x.status?.status ?? null, why: x.availability?.undo ?? null, confirming: x.confirming, busy: x.busy, ask: x.ask, dismiss: x.dismiss, confirm: x.confirm })));
  const trigger = useRef<HTMLButtonElement>(null);
  const status = s.raw ? slotsOf(s.raw).status : null;
  if (!status) return null;
  const current = status.kernel.present ? status.kernel.version : null;
  const previous = status.rollbackKernel.present ? status.rollbackKernel.version : null;
  const dismiss = () => {
    s.dismiss();
    requestAnimationFrame(() => trigger.current?.focus());
  };

  return (
    <details className="panel advanced" open={status.rollbackActive || undefined}>
      <summary>Advanced</summary>
      <h3 id="undo-title">Undo the rollback</h3>
      <p className="warning" id="undo-warning">
        <strong>Only undo a rollback when the problem with kernel {current ?? 'the current kernel'} is fixed.</strong> WSL uses kernel {current ?? 'the current kernel'} again,
        and updates may install it again.
      </p>
      {s.confirming === 'undo' ? (
        <InlineConfirm id="undo-confirm" title={`Use kernel ${current ?? 'unknown'} again instead of ${previous ?? 'unknown'}?`} onDismiss={dismiss}>
          <div className="actions actions-inline">
            <button type="button" className="danger" onClick={() => void s.confirm()} disabled={s.busy}>
              {s.busy ? 'Undoing…' : 'Undo the rollback'}
            </button>
            <button type="button" onClick={dismiss} disabled={s.busy}>
              Cancel
            </button>
          </div>
        </InlineConfirm>
      ) : (
        <div className="actions actions-inline">
          <button ref={trigger} type="button" onClick={() => s.ask('undo')} disabled={s.busy || s.why !== null} aria-describedby={s.why ? 'undo-why undo-warning' : 'undo-warning'}>
            Undo rollback…
          </button>
          {s.why && (
            <p className="reason" id="undo-why" data-code={s.why.code}>
              {s.why.message}
            </p>
          )}
        </div>
      )}
    </details>
  );
}
