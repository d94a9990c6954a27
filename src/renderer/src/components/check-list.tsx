/** The pre-check results: each check's plain message, and for a failure its one-click next step. */
import type { Check, CheckId } from '../../../shared/types';
import { RemedyAction } from './remedy-action';

export const CHECK_LABELS: Record<CheckId, string> = {
  'windows-build': 'Windows version',
  'wsl-feature': 'Windows Subsystem for Linux',
  reboot: 'No restart pending',
  'vm-platform': 'Virtual Machine Platform',
  elevated: 'Administrator rights',
  architecture: 'Processor',
  'disk-space': 'Free disk space',
  payload: 'Kernel file',
};

const STATUS_TEXT: Record<Check['status'], string> = { pass: 'Passed', fail: 'Failed', warn: 'Note' };
const ICON: Record<Check['status'], string> = { pass: '✓', fail: '✕', warn: '!' };

export function CheckList({ checks, onChooseKernel, onChanged }: { checks: Check[]; onChooseKernel?: () => void; onChanged?: () => void }) {
  return (
    <ul className="checks">
      {checks.map((c) => (
        <li key={c.id} className={`check check-${c.status}`} data-check={c.id}>
          <span className="check-icon" aria-hidden="true">
            {ICON[c.status]}
          </span>
          <div className="check-body">
            <p className="check-title">
              {CHECK_LABELS[c.id] ?? c.id}
              <span className="check-status">{STATUS_TEXT[c.status]}</span>
            </p>
            <p className="check-message">{c.message}</p>
            {c.status === 'fail' && c.remedy && (
              <p className="remedy">
                <span className="remedy-label">What to do:</span> {c.remedy}
              </p>
            )}
            {c.status === 'fail' && c.code && <RemedyAction code={c.code} {...(onChooseKernel ? { onChooseKernel } : {})} {...(onChanged ? { onChanged } : {})} />}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The checks while they run: every check listed as pending. */
export function PendingChecks() {
  return (
    <ul className="checks" aria-busy="true">
      {(Object.keys(CHECK_LABELS) as CheckId[]).map((id) => (
        <li key={id} className="check check-pending">
          <span className="check-icon spinner" aria-hidden="true" />
          <div className="check-body">
            <p className="check-title">
              {CHECK_LABELS[id]}
              <span className="check-status">Checking…</span>
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
