/** Done: the result in one sentence, what is installed now, the WSL restart offer when it matters, and Finish. */
import { useShallow } from 'zustand/react/shallow';
import { problemOf } from '../../api';
import { CloseButton } from '../../components/close-button';
import { FooterBar } from '../../components/footer-bar';
import { ProblemBox } from '../../components/problem-box';
import { RestartWsl } from '../../components/restart-wsl';
import { BootCheckPanel } from '../../components/boot-check';
import { SlotsSummary } from '../../components/slots-picture';
import { StepHeading } from '../../components/step-heading';
import { useApp } from '../../stores/app-store';
import { useWizard } from '../../stores/wizard-store';

export function DoneStep() {
  const w = useWizard(
    useShallow((s) => ({
      result: s.result,
      error: s.error,
      shutdown: s.shutdown,
      restarting: s.restarting,
      shutdownError: s.shutdownError,
      restartWsl: s.restartWsl,
      startOver: s.startOver,
      verified: s.verified,
      verifying: s.verifying,
      fallback: s.fallback,
      fallingBack: s.fallingBack,
      rollBack: s.rollBackAfterFailedBoot,
    })),
  );
  const setSection = useApp((s) => s.setSection);
  const result = w.result;
  const problem = w.error ?? problemOf(result);
  const cancelled = problem?.code === 'cancelled';
  const restartProblem = w.shutdownError ?? problemOf(w.shutdown);
  const version = result?.payload?.version;

  let heading = version ? `Kernel ${version} is installed` : 'The kernel is installed';
  if (cancelled) heading = 'Installation cancelled';
  else if (problem) heading = 'The kernel was not installed';
  else if (result && !result.restartNeeded) heading = 'Nothing to do';
  // The boot check after the restart (docs/design.md §10) decides what the screen says.
  if (!problem && w.fallback?.ok) heading = `Back on kernel ${w.fallback.boot?.expected?.version ?? 'the previous kernel'}`;
  else if (!problem && w.verified?.boot?.outcome === 'boot-failed') heading = version ? `Kernel ${version} did not boot` : 'The kernel did not boot';

  return (
    <section className="screen" aria-labelledby="done-title" data-outcome={cancelled ? 'cancelled' : problem ? 'failed' : 'done'}>
      <StepHeading id="done-title">{heading}</StepHeading>
      {problem ? (
        cancelled ? (
          <p className="lead">Nothing was changed: WSL uses the same kernel as before.</p>
        ) : (
          <ProblemBox problem={problem} />
        )
      ) : (
        result && <p className="lead">{result.message}</p>
      )}
      {result?.recovery && result.recovery.length > 0 && (
        <div className="notice">
          <p>An interrupted operation was finished first:</p>
          <ul>
            {result.recovery.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {result?.status && (
        <section className="panel" aria-labelledby="now-title">
          <h3 id="now-title">Installed now</h3>
          <SlotsSummary status={(w.fallback?.status ?? w.verified?.status ?? result.status)!} />
        </section>
      )}
      {result?.ok && result.restartNeeded && <RestartWsl running={result.running ?? []} shutdown={w.shutdown} busy={w.restarting} onRestart={() => void w.restartWsl()} />}
      <BootCheckPanel verifying={w.verifying} verified={w.verified} fallback={w.fallback} fallingBack={w.fallingBack} onRollBack={() => void w.rollBack()} />
      {restartProblem && <ProblemBox problem={restartProblem} live />}
      <FooterBar
        secondary={
          <>
            <button type="button" onClick={() => void w.startOver()}>
              {problem ? 'Try again' : 'Back to the start'}
            </button>
            <button type="button" onClick={() => setSection('settings')}>
              Open settings
            </button>
          </>
        }
        primary={<CloseButton label={problem && !cancelled ? 'Close' : 'Finish'} />}
      />
    </section>
  );
}
