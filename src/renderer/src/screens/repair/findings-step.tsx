/** Findings: the engine's list with the recommended fix first; the chosen fix is applied next. */
import { useShallow } from 'zustand/react/shallow';
import type { Fix } from '../../../../shared/types';
import { ProblemBox } from '../../components/problem-box';
import { StepHeading } from '../../components/step-heading';
import { MSI_FIX_ID, useRepair } from '../../stores/repair-store';
import { FindingCard } from './finding-card';

function MsiPicker() {
  const r = useRepair(useShallow((s) => ({ msi: s.msi, busy: s.busy, pickMsi: s.pickMsi, clearMsi: s.clearMsi })));
  return (
    <div className="fix-extra actions-inline">
      <button type="button" onClick={() => void r.pickMsi()} disabled={r.busy}>
        {r.msi ? 'Choose another package…' : 'Choose the installer package…'}
      </button>
      {r.msi ? (
        <>
          <span className="picked">
            Using <code>{r.msi.name}</code>
          </span>
          <button type="button" className="link-button" onClick={r.clearMsi}>
            Don't use it
          </button>
        </>
      ) : (
        <span className="picked">For example wsl_update_x64.msi</span>
      )}
    </div>
  );
}

export function FindingsStep() {
  const r = useRepair(useShallow((s) => ({ diagnosis: s.diagnosis, fix: s.fix, msi: s.msi, busy: s.busy, error: s.error, chooseFix: s.chooseFix, apply: s.apply, diagnose: s.diagnose })));
  const findings = r.diagnosis?.findings ?? [];
  const problems = findings.filter((f) => f.severity === 'error').length;
  const canApply = r.fix !== null && (r.fix !== MSI_FIX_ID || r.msi !== null);
  const heading = problems === 0 ? 'No problems found' : problems === 1 ? '1 problem found' : `${problems} problems found`;
  const extra = (fix: Fix) => (fix.id === MSI_FIX_ID ? <MsiPicker /> : null);

  return (
    <section className="screen" aria-labelledby="findings-title">
      <StepHeading id="findings-title">{heading}</StepHeading>
      {r.diagnosis && <p className="lead">{r.diagnosis.message}</p>}
      {findings.length > 0 && (
        <ul className="findings" aria-label="Findings">
          {findings.map((f) => (
            <FindingCard key={f.id} finding={f} chosen={r.fix} onChoose={r.chooseFix} extra={extra} />
          ))}
        </ul>
      )}
      {r.error && <ProblemBox problem={r.error} live />}
      <div className="actions">
        <button type="button" onClick={() => void r.diagnose()} disabled={r.busy}>
          Diagnose again
        </button>
        {r.fix !== null && (
          <button type="button" className="primary" onClick={() => void r.apply()} disabled={r.busy || !canApply}>
            Apply the chosen fix
          </button>
        )}
      </div>
    </section>
  );
}
