/** Progress: the live step list with an overall bar; Cancel is possible until the new kernel is verified (the commit point). */
import { useShallow } from 'zustand/react/shallow';
import { FooterBar } from '../../components/footer-bar';
import { LiveSteps } from '../../components/live-steps';
import { StepHeading } from '../../components/step-heading';
import { useProgress } from '../../stores/progress-store';
import { useWizard } from '../../stores/wizard-store';

export function ProgressStep() {
  const w = useWizard(useShallow((s) => ({ plan: s.plan, cancelling: s.cancelling, cancel: s.cancel })));
  const staged = useProgress((s) => s.steps.some((p) => p.step === 'stage' && p.total > 0 && p.done >= p.total));
  const version = w.plan?.payload?.version;
  const steps = [{ id: 'verify', title: 'Check the kernel file' }, ...(w.plan?.plan ?? [])];
  return (
    <section className="screen" aria-labelledby="progress-title" aria-busy="true">
      <StepHeading id="progress-title">{version ? `Installing kernel ${version}` : 'Installing the kernel'}</StepHeading>
      <LiveSteps steps={steps} />
      <FooterBar
        note={
          <span className="muted" id="cancel-note">
            {staged ? 'The new kernel is verified and is being put in place: this can no longer be cancelled.' : 'You can cancel until the new kernel is verified; nothing changes before then.'}
          </span>
        }
        secondary={
          <button type="button" onClick={() => void w.cancel()} disabled={w.cancelling || staged} aria-describedby="cancel-note">
            {w.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        }
      />
    </section>
  );
}
