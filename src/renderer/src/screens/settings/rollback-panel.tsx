/**
 * Rollback: the GUI form of `wsl --update --rollback`. Disabled with the engine's reason when it is
 * not possible; a confirmation names both versions; Escape closes it and the focus returns.
 */
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { InlineConfirm } from '../../components/inline-confirm';
import { useSettings } from '../../stores/settings-store';
import { slotsOf } from '../../slots-of';

export function RollbackPanel() {
  const s = useSettings(useShallow((x) => ({ raw: x.status?.status ?? null, why: x.availability?.rollback ?? null, confirming: x.confirming, busy: x.busy, ask: x.ask, dismiss: x.dismiss, confirm: x.confirm })));
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
    <section className="panel" aria-labelledby="rollback-title">
      <h3 id="rollback-title">Go back to the previous kernel</h3>
      <p>If the current kernel causes problems, WSL can use the previous one again. No file is copied, and you can undo it later.</p>
      {s.confirming === 'rollback' ? (
        <InlineConfirm id="rollback-confirm" title={`Roll back from kernel ${current ?? 'unknown'} to ${previous ?? 'unknown'}?`} onDismiss={dismiss}>
          <p>
            WSL will use kernel {previous ?? 'unknown'} instead of {current ?? 'unknown'}.
            {current && ` Updates will not install ${current} again.`}
          </p>
          <div className="actions actions-inline">
            <button type="button" className="primary" onClick={() => void s.confirm()} disabled={s.busy}>
              {s.busy ? 'Rolling back…' : `Roll back to ${previous ?? 'the previous kernel'}`}
            </button>
            <button type="button" onClick={dismiss} disabled={s.busy}>
              Cancel
            </button>
          </div>
        </InlineConfirm>
      ) : (
        <div className="actions actions-inline">
          <button ref={trigger} type="button" onClick={() => s.ask('rollback')} disabled={s.busy || s.why !== null} aria-describedby={s.why ? 'rollback-why' : undefined}>
            Roll back…
          </button>
          {s.why && (
            <p className="reason" id="rollback-why" data-code={s.why.code}>
              {s.why.message}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
