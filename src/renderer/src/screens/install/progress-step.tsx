/** Progress: a bar per step with bytes; Cancel is possible until the new kernel is verified (the commit point). */
import { useShallow } from 'zustand/react/shallow';
import { ProgressBars } from '../../components/progress-bars';
import { StepHeading } from '../../components/step-heading';
import { useProgress } from '../../stores/progress-store';
import { useWizard } from '../../stores/wizard-store';

export function ProgressStep() {
  const w = useWizard(useShallow((s) => ({ plan: s.plan, cancelling: s.cancelling, cancel: s.cancel })));
  const staged = useProgress((s) => s.steps.some((p) => p.step === 'stage' && p.total > 0 && p.done >= p.total));
  const version = w.plan?.payload?.version;
  return (
    <section className="screen" aria-labelledby="progress-title" aria-busy="true">
      <StepHeading id="progress-title">{version ? `Installing kernel ${version}` : 'Installing the kernel'}</StepHeading>
      <p className="lead">The new kernel is copied next to the current one and verified before it replaces anything.</p>
      <ProgressBars />
      <p className="muted" id="cancel-note">
        {staged ? 'The new kernel is verified and is being put in place; this can no longer be cancelled.' : 'You can cancel until the new kernel is verified; nothing changes before then.'}
      </p>
      <div className="actions">
        <button type="button" onClick={() => void w.cancel()} disabled={w.cancelling || staged} aria-describedby="cancel-note">
          {w.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}
