/** Pre-checks: each check with its result and remedy; blocked until they all pass. */
import { useShallow } from 'zustand/react/shallow';
import { CheckList, PendingChecks } from '../../components/check-list';
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
      <StepHeading id="prechecks-title">Pre-checks</StepHeading>
      <p className="lead">The kernel can only be installed when Windows is ready for WSL 2.</p>
      <div aria-live="polite" className="summary-line">
        {w.busy ? (
          <p>Checking this computer…</p>
        ) : w.precheck ? (
          failed.length ? (
            <p className="summary-failed" id="prechecks-summary">
              {failed.length === 1 ? '1 check failed.' : `${failed.length} checks failed.`} Follow the steps below, then check again.
            </p>
          ) : (
            <p className="summary-passed" id="prechecks-summary">
              All checks passed.
            </p>
          )
        ) : null}
      </div>
      {w.busy && !w.precheck ? <PendingChecks /> : <CheckList checks={checks} />}
      {w.error && <ProblemBox problem={w.error} live />}
      <div className="actions">
        <button type="button" onClick={w.back}>
          Back
        </button>
        <button type="button" onClick={() => void w.checkAgain()} disabled={w.busy}>
          Check again
        </button>
        <button type="button" className="primary" onClick={() => void w.next()} disabled={blocked} aria-describedby={w.precheck ? 'prechecks-summary' : undefined}>
          Next: review the plan
        </button>
      </div>
    </section>
  );
}
