/**
 * Rollback: the GUI form of `wsl --update --rollback`. Disabled with the engine's reason when it is
 * not possible; a confirmation names both versions.
 */
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSettings } from '../../stores/settings-store';

export function RollbackPanel() {
  const s = useSettings(useShallow((x) => ({ status: x.status?.status ?? null, why: x.availability?.rollback ?? null, confirming: x.confirming, busy: x.busy, ask: x.ask, dismiss: x.dismiss, confirm: x.confirm })));
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const confirming = s.confirming === 'rollback';
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  if (!s.status) return null;
  const current = s.status.kernel.present ? s.status.kernel.version : null;
  const previous = s.status.rollbackKernel.present ? s.status.rollbackKernel.version : null;

  return (
    <section className="panel" aria-labelledby="rollback-title">
      <h3 id="rollback-title">Roll back to the previous kernel</h3>
      <p>If the current kernel causes problems, WSL can boot the previous one (kept as <code>kernel.rollback</code>). No file is copied.</p>
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="rollback-confirm-title">
          <h4 id="rollback-confirm-title" ref={confirmRef} tabIndex={-1}>
            Roll back from kernel {current ?? 'unknown'} to {previous ?? 'unknown'}?
          </h4>
          <p>
            WSL will boot <code>kernel.rollback</code> ({previous ?? 'unknown'}) instead of <code>kernel</code> ({current ?? 'unknown'}).
            {current && ` Version ${current} is marked bad, so updates do not install it again.`}
          </p>
          <div className="actions actions-inline">
            <button type="button" className="primary" onClick={() => void s.confirm()} disabled={s.busy}>
              {s.busy ? 'Rolling back…' : `Roll back to ${previous ?? 'the previous kernel'}`}
            </button>
            <button type="button" onClick={s.dismiss} disabled={s.busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="actions actions-inline">
          <button type="button" onClick={() => s.ask('rollback')} disabled={s.busy || s.why !== null} aria-describedby={s.why ? 'rollback-why' : undefined}>
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
