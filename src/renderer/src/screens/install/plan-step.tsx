/**
 * Plan: the exact steps the engine will take, or its refusal explained (version marked bad,
 * downgrade, nothing to do), with the override the refusal allows.
 */
import { useShallow } from 'zustand/react/shallow';
import type { ErrorCode } from '../../../../shared/errors';
import { problemOf } from '../../api';
import { ProblemBox } from '../../components/problem-box';
import { SlotsSummary } from '../../components/slots-picture';
import { StepHeading } from '../../components/step-heading';
import { useApp } from '../../stores/app-store';
import type { InstallOverrides } from '../../stores/wizard-store';
import { useWizard } from '../../stores/wizard-store';

/** The override each refusal offers, as its remedy says. */
const OVERRIDES: Partial<Record<ErrorCode, { label: string; overrides: Partial<InstallOverrides> }>> = {
  'version-marked-bad': { label: 'Install this version anyway', overrides: { force: true } },
  'downgrade-refused': { label: 'Allow the downgrade', overrides: { allowDowngrade: true } },
};

export function PlanStep() {
  const w = useWizard(
    useShallow((s) => ({ plan: s.plan, busy: s.busy, error: s.error, overrides: s.overrides, back: s.back, replan: s.goToPlan, install: s.install, startOver: s.startOver })),
  );
  const setSection = useApp((s) => s.setSection);
  const plan = w.plan;
  const problem = problemOf(plan);
  const override = problem ? OVERRIDES[problem.code] : undefined;
  const nothingToDo = plan?.ok && plan.kind === 'nothing-to-do';

  let heading = 'Review the plan';
  if (problem) heading = override ? 'This kernel is not installed by default' : 'The kernel cannot be installed';
  else if (nothingToDo) heading = 'Nothing to do';

  return (
    <section className="screen" aria-labelledby="plan-title">
      <StepHeading id="plan-title">{heading}</StepHeading>
      {w.busy && !plan && <p aria-busy="true">Working out what will change…</p>}
      {w.error && <ProblemBox problem={w.error} live />}

      {problem && (
        <ProblemBox problem={problem} tone={override ? 'warning' : 'error'}>
          {override && (
            <div className="actions actions-inline">
              <button type="button" onClick={() => void w.replan(override.overrides)} disabled={w.busy}>
                {override.label}
              </button>
            </div>
          )}
        </ProblemBox>
      )}

      {nothingToDo && (
        <div className="notice" data-kind="nothing-to-do">
          <p>{plan.message} Nothing will change.</p>
        </div>
      )}

      {plan?.ok && !nothingToDo && (
        <>
          {plan.payload && (
            <p className="lead">
              Install kernel <strong>{plan.payload.version}</strong> ({plan.payload.release}, {plan.payload.arch}).
            </p>
          )}
          {(w.overrides.force || w.overrides.allowDowngrade) && (
            <p className="notice notice-warning">
              {w.overrides.force ? 'You chose to install a version you rolled back from before. ' : ''}
              {w.overrides.allowDowngrade ? 'You chose to install an older kernel than the current one.' : ''}
            </p>
          )}
          <section className="panel" aria-labelledby="plan-steps-title">
            <h3 id="plan-steps-title">What will change</h3>
            <ol className="plan-steps">
              {(plan.plan ?? []).map((s) => (
                <li key={s.id} data-plan-step={s.id}>
                  {s.title}
                </li>
              ))}
            </ol>
            <p className="muted">Every change is journaled: if the computer stops halfway, the next start finishes or undoes it.</p>
          </section>
          {plan.status && (
            <section className="panel" aria-labelledby="plan-now-title">
              <h3 id="plan-now-title">Before the change</h3>
              <SlotsSummary status={plan.status} />
            </section>
          )}
        </>
      )}

      <div className="actions">
        <button type="button" onClick={w.back} disabled={w.busy}>
          Back
        </button>
        {nothingToDo ? (
          <>
            <button type="button" onClick={() => void w.startOver()}>
              Start over
            </button>
            <button type="button" className="primary" onClick={() => setSection('settings')}>
              Open settings
            </button>
          </>
        ) : (
          <button type="button" className="primary" onClick={() => void w.install()} disabled={w.busy || !plan?.ok}>
            Install now
          </button>
        )}
      </div>
    </section>
  );
}
