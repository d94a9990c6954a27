/** Advanced → Undo rollback: the seed's manual registry edit, done safely, behind a warning. Open by itself while a rollback is active. */
import { useShallow } from 'zustand/react/shallow';
import { useSettings } from '../../stores/settings-store';
import { slotsOf } from '../../slots-of';
import { ConfirmAction } from './confirm-action';

export function AdvancedPanel() {
  const s = useSettings(useShallow((x) => ({ raw: x.status?.status ?? null, why: x.availability?.undo ?? null })));
  const status = s.raw ? slotsOf(s.raw).status : null;
  if (!status) return null;
  const current = status.kernel.present ? status.kernel.version : null;
  const previous = status.rollbackKernel.present ? status.rollbackKernel.version : null;
  return (
    <details className="panel advanced" open={status.rollbackActive || undefined}>
      <summary>Advanced</summary>
      <h3 id="undo-title">Undo the rollback</h3>
      <p className="warning" id="undo-warning">
        <strong>Only undo a rollback when the problem with kernel {current ?? 'the current kernel'} is fixed.</strong> WSL uses kernel {current ?? 'the current kernel'} again,
        and updates may install it again.
      </p>
      <ConfirmAction
        action="undo"
        id="undo"
        label="Undo rollback…"
        title={`Use kernel ${current ?? 'unknown'} again instead of ${previous ?? 'unknown'}?`}
        confirmLabel="Undo the rollback"
        busyLabel="Undoing…"
        tone="danger"
        why={s.why}
        describedBy="undo-warning"
      />
    </details>
  );
}
