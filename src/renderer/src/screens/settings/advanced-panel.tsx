/** Advanced → Undo rollback: the seed's manual registry edit, done safely, behind a warning. */
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSettings } from '../../stores/settings-store';

export function AdvancedPanel() {
  const s = useSettings(useShallow((x) => ({ status: x.status?.status ?? null, why: x.availability?.undo ?? null, confirming: x.confirming, busy: x.busy, ask: x.ask, dismiss: x.dismiss, confirm: x.confirm })));
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const confirming = s.confirming === 'undo';
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  if (!s.status) return null;
  const current = s.status.kernel.present ? s.status.kernel.version : null;
  const previous = s.status.rollbackKernel.present ? s.status.rollbackKernel.version : null;

  return (
    <details className="panel advanced">
      <summary>Advanced</summary>
      <h3 id="undo-title">Undo the rollback</h3>
      <p className="warning" id="undo-warning">
        <strong>Only undo a rollback when the problem with kernel {current ?? 'the current kernel'} is fixed.</strong> WSL boots{' '}
        <code>kernel</code> again and {current ?? 'its version'} is no longer marked bad.
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="undo-confirm-title">
          <h4 id="undo-confirm-title" ref={confirmRef} tabIndex={-1}>
            Boot kernel {current ?? 'unknown'} again instead of {previous ?? 'unknown'}?
          </h4>
          <div className="actions actions-inline">
            <button type="button" className="danger" onClick={() => void s.confirm()} disabled={s.busy}>
              {s.busy ? 'Undoing…' : 'Undo the rollback'}
            </button>
            <button type="button" onClick={s.dismiss} disabled={s.busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="actions actions-inline">
          <button type="button" onClick={() => s.ask('undo')} disabled={s.busy || s.why !== null} aria-describedby={s.why ? 'undo-why undo-warning' : 'undo-warning'}>
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
