/** Diagnose: what the repair looks for, and the button that runs the diagnosis. */
import { useShallow } from 'zustand/react/shallow';
import { FooterBar } from '../../components/footer-bar';
import { ProblemBox } from '../../components/problem-box';
import { StepHeading } from '../../components/step-heading';
import { useRepair } from '../../stores/repair-store';
import { PasteErrorForm } from './paste-error-form';

export function DiagnoseStep() {
  const r = useRepair(useShallow((s) => ({ busy: s.busy, error: s.error, diagnose: s.diagnose })));
  return (
    <section className="screen" aria-labelledby="diagnose-title">
      <StepHeading id="diagnose-title">Repair WSL's kernel</StepHeading>
      <p className="lead">
        For “WSL 2 requires an update to its kernel component”, “This update only applies to machines with the Windows Subsystem for Linux” and other
        kernel problems.
      </p>
      <p>The check looks at the kernel files, the Windows settings WSL uses and this app's records. It changes nothing.</p>
      <PasteErrorForm />
      {r.error && <ProblemBox problem={r.error} live />}
      <FooterBar
        primary={
          <button type="button" className="primary" onClick={() => void r.diagnose()} disabled={r.busy}>
            {r.busy ? 'Checking…' : 'Find problems'}
          </button>
        }
      />
    </section>
  );
}
