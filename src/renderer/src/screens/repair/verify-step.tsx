/** Verify: what the repair did and the diagnosis after it; healthy means no finding of severity error. */
import { useShallow } from 'zustand/react/shallow';
import { problemOf } from '../../api';
import { ProblemBox } from '../../components/problem-box';
import { RestartWsl } from '../../components/restart-wsl';
import { SlotsSummary } from '../../components/slots-picture';
import { StepHeading } from '../../components/step-heading';
import { useRepair } from '../../stores/repair-store';
import { FindingCard } from './finding-card';

export function VerifyStep() {
  const r = useRepair(
    useShallow((s) => ({ result: s.result, error: s.error, shutdown: s.shutdown, restarting: s.restarting, shutdownError: s.shutdownError, restartWsl: s.restartWsl, diagnose: s.diagnose, startOver: s.startOver, busy: s.busy })),
  );
  const result = r.result;
  const problem = r.error ?? problemOf(result);
  const remaining = (result?.findings ?? []).filter((f) => f.severity === 'error');
  const healthy = !problem && remaining.length === 0;
  const restartProblem = r.shutdownError ?? problemOf(r.shutdown);

  return (
    <section className="screen" aria-labelledby="verify-title">
      <StepHeading id="verify-title">{problem ? 'The repair did not complete' : healthy ? 'Repaired' : 'Some problems remain'}</StepHeading>
      {problem ? <ProblemBox problem={problem} /> : result && <p className="lead">{result.message}</p>}
      {result?.applied && result.applied.length > 0 && (
        <section className="panel" aria-labelledby="applied-title">
          <h3 id="applied-title">What was done</h3>
          <ul>
            {result.applied.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </section>
      )}
      {result?.status && (
        <section className="panel" aria-labelledby="verify-now-title">
          <h3 id="verify-now-title">Kernels now</h3>
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
      <div className="actions">
        <button type="button" onClick={r.startOver}>
          Start over
        </button>
        <button type="button" className="primary" onClick={() => void r.diagnose()} disabled={r.busy}>
          Diagnose again
        </button>
      </div>
    </section>
  );
}
