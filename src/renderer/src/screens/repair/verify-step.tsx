/** Verify: what the repair did in plain words, the check after it, and Finish; healthy means no finding of severity error. */
import { useShallow } from 'zustand/react/shallow';
import { problemOf } from '../../api';
import { CloseButton } from '../../components/close-button';
import { Details } from '../../components/details';
import { FooterBar } from '../../components/footer-bar';
import { ProblemBox } from '../../components/problem-box';
import { RestartWsl } from '../../components/restart-wsl';
import { SlotsSummary } from '../../components/slots-picture';
import { StepHeading } from '../../components/step-heading';
import { useRepair } from '../../stores/repair-store';
import { FindingCard } from './finding-card';

export function VerifyStep() {
  const r = useRepair(
    useShallow((s) => ({ result: s.result, diagnosis: s.diagnosis, error: s.error, shutdown: s.shutdown, restarting: s.restarting, shutdownError: s.shutdownError, restartWsl: s.restartWsl, diagnose: s.diagnose, busy: s.busy })),
  );
  const result = r.result;
  const problem = r.error ?? problemOf(result);
  const remaining = (result?.findings ?? []).filter((f) => f.severity === 'error');
  const healthy = !problem && remaining.length === 0;
  const restartProblem = r.shutdownError ?? problemOf(r.shutdown);
  const fixTitles = new Map((r.diagnosis?.findings ?? []).flatMap((f) => f.fixes).map((f) => [f.id, f.title]));
  const applied = (result?.applied ?? []).map((id) => fixTitles.get(id) ?? id);

  return (
    <section className="screen" aria-labelledby="verify-title">
      <StepHeading id="verify-title">{problem ? (problem.code === 'cancelled' ? 'Repair cancelled' : 'The repair did not complete') : healthy ? 'Repaired' : 'Some problems remain'}</StepHeading>
      {problem ? (
        problem.code === 'cancelled' ? (
          <p className="lead">Nothing was changed.</p>
        ) : (
          <ProblemBox problem={problem} />
        )
      ) : (
        <p className="lead">{healthy ? 'WSL can start with its kernel again.' : 'The fix was applied, but the check afterwards still finds a problem.'}</p>
      )}
      {applied.length > 0 && (
        <section className="panel" aria-labelledby="applied-title">
          <h3 id="applied-title">What was done</h3>
          <ul>
            {applied.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
          {result && <Details text={`${result.message}\nFixes: ${(result.applied ?? []).join(', ')}`} />}
        </section>
      )}
      {result?.status && (
        <section className="panel" aria-labelledby="verify-now-title">
          <h3 id="verify-now-title">Installed now</h3>
          <SlotsSummary status={result.status} />
        </section>
      )}
      {remaining.length > 0 && (
        <ul className="findings" aria-label="Remaining problems">
          {remaining.map((f) => (
            <FindingCard key={f.id} finding={f} />
          ))}
        </ul>
      )}
      {result?.ok && result.restartNeeded && <RestartWsl running={result.running ?? []} shutdown={r.shutdown} busy={r.restarting} onRestart={() => void r.restartWsl()} />}
      {restartProblem && <ProblemBox problem={restartProblem} live />}
      <FooterBar
        secondary={
          <button type="button" onClick={() => void r.diagnose()} disabled={r.busy}>
            Check again
          </button>
        }
        primary={<CloseButton label={healthy ? 'Finish' : 'Close'} />}
      />
    </section>
  );
}
