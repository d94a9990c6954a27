/** Findings: the engine's list, the recommended fix chosen first; an MSI can be picked as the source. */
import { useShallow } from 'zustand/react/shallow';
import { ProblemBox } from '../../components/problem-box';
import { StepHeading } from '../../components/step-heading';
import { recommendedFix, useRepair } from '../../stores/repair-store';
import { FindingCard } from './finding-card';

export function FindingsStep() {
  const r = useRepair(
    useShallow((s) => ({ diagnosis: s.diagnosis, fix: s.fix, msi: s.msi, busy: s.busy, error: s.error, chooseFix: s.chooseFix, pickMsi: s.pickMsi, clearMsi: s.clearMsi, apply: s.apply, diagnose: s.diagnose })),
  );
  const findings = r.diagnosis?.findings ?? [];
  const problems = findings.filter((f) => f.severity === 'error');
  const recommended = recommendedFix(r.diagnosis);
  const healthy = problems.length === 0;

  return (
    <section className="screen" aria-labelledby="findings-title">
      <StepHeading id="findings-title">{healthy ? 'No problems found' : problems.length === 1 ? '1 problem found' : `${problems.length} problems found`}</StepHeading>
      {r.diagnosis && <p className="lead">{r.diagnosis.message}</p>}
      {findings.length > 0 && (
        <ul className="findings" aria-label="Findings">
          {findings.map((f) => (
            <FindingCard key={f.id} finding={f} chosen={r.fix} recommended={recommended} onChoose={r.chooseFix} />
          ))}
        </ul>
      )}
      {recommended && (
        <section className="panel panel-quiet" aria-labelledby="msi-title">
          <h3 id="msi-title">Use an installer package you already have</h3>
          <p>
            If you have <code>wsl_update_x64.msi</code> (or the ARM64 one), the repair can take the kernel from it.
          </p>
          <div className="actions actions-inline">
            <button type="button" onClick={() => void r.pickMsi()} disabled={r.busy}>
              Choose an installer package…
            </button>
            {r.msi && (
              <>
                <span className="picked">
                  Using <code>{r.msi.name}</code>
                </span>
                <button type="button" className="link-button" onClick={r.clearMsi}>
                  Don't use it
                </button>
              </>
            )}
          </div>
        </section>
      )}
      {r.error && <ProblemBox problem={r.error} live />}
      <div className="actions">
        <button type="button" onClick={() => void r.diagnose()} disabled={r.busy}>
          Diagnose again
        </button>
        {recommended && (
          <button type="button" className="primary" onClick={() => void r.apply()} disabled={r.busy || !r.fix}>
            Apply the chosen fix
          </button>
        )}
      </div>
    </section>
  );
}
