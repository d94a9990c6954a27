/** Pre-checks: each check with its result and, for a failure, its one-click next step; blocked until they all pass. */
import { useShallow } from 'zustand/react/shallow';
import { CheckList, PendingChecks } from '../../components/check-list';
import { FooterBar } from '../../components/footer-bar';
import { ProblemBox } from '../../components/problem-box';
import { StepHeading } from '../../components/step-heading';
import { useWizard } from '../../stores/wizard-store';

export function PrechecksStep() {
  const w = useWizard(useShallow((s) => ({ precheck: s.precheck, busy: s.busy, error: s.error, checkAgain: s.checkAgain, back: s.back, next: s.goToPlan })));
  const checks = w.precheck?.checks ?? [];
  const failed = checks.filter((c) => c.status === 'fail');
  const blocked = w.busy || !w.precheck || failed.length > 0;
  return (
    <section className="screen" aria-labelledby="prechecks-title">
      <StepHeading id="prechecks-title">{!w.precheck ? 'Checking this computer' : failed.length ? 'This computer is not ready yet' : 'This computer is ready'}</StepHeading>
      <div aria-live="polite" className="summary-line">
        {w.busy ? (
          <p>Checking this computer…</p>
        ) : w.precheck ? (
          failed.length ? (
            <p className="summary-failed" id="prechecks-summary">
              {failed.length === 1 ? '1 check failed.' : `${failed.length} checks failed.`} Do what it says below, then check again.
            </p>
          ) : (
            <p className="summary-passed" id="prechecks-summary">
              All checks passed.
            </p>
          )
        ) : null}
      </div>
      {w.busy && !w.precheck ? <PendingChecks /> : <CheckList checks={checks} onChooseKernel={w.back} onChanged={() => void w.checkAgain()} />}
      {w.error && <ProblemBox problem={w.error} live />}
      <FooterBar
        secondary={
          <>
            <button type="button" onClick={w.back}>
              Back
            </button>
            <button type="button" onClick={() => void w.checkAgain()} disabled={w.busy}>
              Check again
            </button>
          </>
        }
        primary={
          <button type="button" className="primary" onClick={() => void w.next()} disabled={blocked} aria-describedby={w.precheck ? 'prechecks-summary' : undefined}>
            Next
          </button>
        }
      />
    </section>
  );
}
