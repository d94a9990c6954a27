/**
 * Plan: every change the engine will make, in plain words (what is added, kept and removed), or its
 * refusal explained (version rolled back from, downgrade, nothing to do) with the override it allows.
 */
import { useShallow } from 'zustand/react/shallow';
import type { ErrorCode } from '../../../../shared/errors';
import type { PlanDiff as Diff, PlanStep as Step } from '../../../../shared/types';
import { problemOf } from '../../api';
import { CloseButton } from '../../components/close-button';
import { Details } from '../../components/details';
import { FooterBar } from '../../components/footer-bar';
import { ProblemBox } from '../../components/problem-box';
import { StepHeading } from '../../components/step-heading';
import { useApp } from '../../stores/app-store';
import type { InstallOverrides } from '../../stores/wizard-store';
import { useWizard } from '../../stores/wizard-store';
import { changeTitle, changeVerb } from './change-title';

/** The override each refusal offers, and what to do in the app's words (the engine's remedy names the CLI option). */
/** Refusals the user may override: the screen's heading, the button, what to do, and the override sent. */
const OVERRIDES: Partial<Record<ErrorCode, { heading: string; label: string; remedy: string; overrides: Partial<InstallOverrides> }>> = {
  'version-marked-bad': { heading: 'This kernel is not installed by default', label: 'Install this version anyway', remedy: 'Choose a newer kernel, or install this one anyway if you are sure its problem is fixed.', overrides: { force: true } },
  'downgrade-refused': { heading: 'This kernel is not installed by default', label: 'Allow the downgrade', remedy: 'Use Roll back in Settings to go back to the previous kernel, or allow the downgrade if you mean it.', overrides: { allowDowngrade: true } },
  'older-than-wsl-default': { heading: "This kernel is older than WSL's own", label: "Install it anyway (older than WSL's own)", remedy: "Choose a newer kernel, or install this one anyway if you need this older version.", overrides: { allowOlder: true } },
  'wslconfig-foreign-kernel': {
    heading: 'Your WSL settings already name another kernel',
    label: 'Use this kernel instead',
    remedy: "Keep the kernel the settings file names, or use this one instead: the line it has now is recorded, and \"Use WSL's own kernel again\" in Settings puts it back.",
    overrides: { takeOver: true },
  },
};

const EFFECT: Record<NonNullable<Step['effect']>, { icon: string; text: string }> = {
  add: { icon: '+', text: 'Added' },
  keep: { icon: '=', text: 'Kept' },
  remove: { icon: '−', text: 'Removed' },
  setting: { icon: '•', text: 'Setting' },
};

const DIFF_LINE = {
  context: { sign: ' ', text: 'Unchanged line' },
  removed: { sign: '−', text: 'Line removed' },
  added: { sign: '+', text: 'Line added' },
  gap: { sign: '⋯', text: 'Unchanged lines left out' },
} as const;

/** The exact change to a user's file (.wslconfig): removed lines, added lines, a line of context. */
function FileDiff({ diff }: { diff: Diff }) {
  return (
    <figure className="file-diff" data-testid="file-diff">
      <figcaption>{diff.created ? `New file ${diff.file}` : `Changed lines of ${diff.file}`}</figcaption>
      <pre>
        {diff.lines.map((l, i) => (
          <span key={i} className={`diff-line diff-${l.kind}`} data-diff={l.kind}>
            <span className="visually-hidden">{DIFF_LINE[l.kind].text}: </span>
            <span className="diff-sign" aria-hidden="true">
              {DIFF_LINE[l.kind].sign}
            </span>
            {l.text}
          </span>
        ))}
      </pre>
    </figure>
  );
}

/** The diff as plain text, for the Details copy. */
const diffText = (diff: Diff): string => diff.lines.map((l) => `${DIFF_LINE[l.kind].sign} ${l.text}`).join('\n');

function PlanSteps({ steps }: { steps: Step[] }) {
  return (
    <ol className="plan-steps">
      {steps.map((s) => {
        const effect = EFFECT[s.effect ?? 'setting'];
        return (
          <li key={s.id} data-plan-step={s.id} data-effect={s.effect ?? 'setting'} className={`plan-step plan-${s.effect ?? 'setting'}`}>
            <span className="plan-icon" aria-hidden="true">
              {effect.icon}
            </span>
            <span className="visually-hidden">{effect.text}: </span>
            <div className="plan-body">
              <span className="plan-title">{s.title}</span>
              {s.diff && <FileDiff diff={s.diff} />}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function PlanStep() {
  const w = useWizard(useShallow((s) => ({ plan: s.plan, busy: s.busy, error: s.error, overrides: s.overrides, back: s.back, replan: s.goToPlan, install: s.install })));
  const setSection = useApp((s) => s.setSection);
  const plan = w.plan;
  const refusal = problemOf(plan);
  const override = refusal ? OVERRIDES[refusal.code] : undefined;
  const problem = refusal && override ? { ...refusal, remedy: override.remedy } : refusal;
  const nothingToDo = plan?.ok && plan.kind === 'nothing-to-do';
  const steps = plan?.plan ?? [];

  let heading = 'Review the changes';
  if (problem) heading = override ? override.heading : 'The kernel cannot be installed';
  else if (nothingToDo) heading = 'Nothing to do';
  else if (plan?.change) heading = `${changeTitle(plan)}: review the changes`;

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
          {(w.overrides.force || w.overrides.allowDowngrade || w.overrides.allowOlder || w.overrides.takeOver) && (
            <p className="notice notice-warning">
              {w.overrides.force ? 'You chose to install a version you rolled back from before. ' : ''}
              {w.overrides.allowDowngrade ? 'You chose to install an older kernel than the current one.' : ''}
              {w.overrides.allowOlder ? "You chose to install a kernel older than WSL's own. " : ''}
              {w.overrides.takeOver ? 'You chose to use this kernel instead of the one the WSL settings file named.' : ''}
            </p>
          )}
          <section className="panel" aria-labelledby="plan-steps-title">
            <h3 id="plan-steps-title">What will change</h3>
            <PlanSteps steps={steps} />
            <p className="muted">If the computer stops halfway, the next start finishes or undoes the change: WSL always has a complete kernel.</p>
            <Details text={steps.map((s) => `${s.title}\n  ${s.detail ?? ''}${s.diff ? `\n${diffText(s.diff)}` : ''}`).join('\n')} />
          </section>
        </>
      )}

      <FooterBar
        secondary={
          <button type="button" onClick={w.back} disabled={w.busy}>
            Back
          </button>
        }
        primary={
          nothingToDo ? (
            <>
              <button type="button" onClick={() => setSection('settings')}>
                Open settings
              </button>
              <CloseButton label="Close" />
            </>
          ) : (
            <button type="button" className="primary" onClick={() => void w.install()} disabled={w.busy || !plan?.ok}>
              {changeVerb(plan)}
            </button>
          )
        }
      />
    </section>
  );
}
