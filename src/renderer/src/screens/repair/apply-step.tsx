/** Apply: the fix runs with the live step list; it can be cancelled before its commit point. */
import { useShallow } from 'zustand/react/shallow';
import { FooterBar } from '../../components/footer-bar';
import { LiveSteps } from '../../components/live-steps';
import { StepHeading } from '../../components/step-heading';
import { useProgress } from '../../stores/progress-store';
import { useRepair } from '../../stores/repair-store';

export function ApplyStep() {
  const r = useRepair(useShallow((s) => ({ cancelling: s.cancelling, cancel: s.cancel, fix: s.fix, diagnosis: s.diagnosis })));
  const reported = useProgress((s) => s.steps);
  const title = r.diagnosis?.findings?.flatMap((f) => f.fixes).find((x) => x.id === r.fix)?.title;
  const steps = [...reported.map((p) => ({ id: p.step, title: p.title })), { id: 'finish', title: 'Finish the repair and check the result' }];
  return (
    <section className="screen" aria-labelledby="apply-title" aria-busy="true">
      <StepHeading id="apply-title">Repairing</StepHeading>
      {title && <p className="lead">{title}</p>}
      <LiveSteps steps={steps} />
      <FooterBar
        secondary={
          <button type="button" onClick={() => void r.cancel()} disabled={r.cancelling}>
            {r.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        }
      />
    </section>
  );
}
