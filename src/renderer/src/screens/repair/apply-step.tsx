/** Apply: the fix runs with progress; it can be cancelled before its commit point. */
import { useShallow } from 'zustand/react/shallow';
import { ProgressBars } from '../../components/progress-bars';
import { StepHeading } from '../../components/step-heading';
import { useRepair } from '../../stores/repair-store';

export function ApplyStep() {
  const r = useRepair(useShallow((s) => ({ cancelling: s.cancelling, cancel: s.cancel, fix: s.fix, diagnosis: s.diagnosis })));
  const title = r.diagnosis?.findings?.flatMap((f) => f.fixes).find((x) => x.id === r.fix)?.title;
  return (
    <section className="screen" aria-labelledby="apply-title" aria-busy="true">
      <StepHeading id="apply-title">Applying the fix</StepHeading>
      {title && <p className="lead">{title}</p>}
      <ProgressBars />
      <div className="actions">
        <button type="button" onClick={() => void r.cancel()} disabled={r.cancelling}>
          {r.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}
