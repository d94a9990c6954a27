/**
 * Rollback: the GUI form of `wsl --update --rollback`. Disabled with the engine's reason when it is
 * not possible; a confirmation names both versions; Escape closes it and the focus returns.
 */
import { useShallow } from 'zustand/react/shallow';
import { useSettings } from '../../stores/settings-store';
import { slotsOf } from '../../slots-of';
import { ConfirmAction } from './confirm-action';

export function RollbackPanel() {
  const s = useSettings(useShallow((x) => ({ raw: x.status?.status ?? null, why: x.availability?.rollback ?? null })));
  const status = s.raw ? slotsOf(s.raw).status : null;
  if (!status) return null;
  const current = status.kernel.present ? status.kernel.version : null;
  const previous = status.rollbackKernel.present ? status.rollbackKernel.version : null;
  return (
    <section className="panel" aria-labelledby="rollback-title">
      <h3 id="rollback-title">Go back to the previous kernel</h3>
      <p>If the current kernel causes problems, WSL can use the previous one again. No file is copied, and you can undo it later.</p>
      <ConfirmAction
        action="rollback"
        id="rollback"
        label="Roll back…"
        title={`Roll back from kernel ${current ?? 'unknown'} to ${previous ?? 'unknown'}?`}
        confirmLabel={`Roll back to ${previous ?? 'the previous kernel'}`}
        busyLabel="Rolling back…"
        why={s.why}
      >
        <p>
          WSL will use kernel {previous ?? 'unknown'} instead of {current ?? 'unknown'}.
          {current && ` Updates will not install ${current} again.`}
        </p>
      </ConfirmAction>
    </section>
  );
}
