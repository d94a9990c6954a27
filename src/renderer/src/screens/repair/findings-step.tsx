/** Findings: the engine's list with the recommended fix first; the chosen fix is applied next. */
import { useShallow } from 'zustand/react/shallow';
import type { Fix } from '../../../../shared/types';
import { CloseButton } from '../../components/close-button';
import { FilePickButton } from '../../components/file-pick-button';
import { FooterBar } from '../../components/footer-bar';
import { ProblemBox } from '../../components/problem-box';
import { StepHeading } from '../../components/step-heading';
import { MSI_FIX_ID, useRepair } from '../../stores/repair-store';
import { FindingCard } from './finding-card';
import { PastedErrorResult } from './pasted-error-result';

function MsiPicker() {
  const r = useRepair(useShallow((s) => ({ msi: s.msi, busy: s.busy, pickMsi: s.pickMsi, clearMsi: s.clearMsi })));
  return (
    <div className="fix-extra actions-inline">
      <FilePickButton kind="msi" onPick={() => r.pickMsi()} disabled={r.busy}>
        {r.msi ? 'Choose another package…' : 'Choose the update package…'}
      </FilePickButton>
      {r.msi ? (
        <>
          <span className="picked">
            Using <code>{r.msi.name}</code>
          </span>
          <button type="button" className="link-button" onClick={r.clearMsi}>
            Don't use it
          </button>
        </>
      ) : (
        <span className="picked">For example wsl_update_x64.msi</span>
      )}
    </div>
  );
}

export function FindingsStep() {
  const r = useRepair(useShallow((s) => ({ diagnosis: s.diagnosis, fix: s.fix, msi: s.msi, busy: s.busy, error: s.error, chooseFix: s.chooseFix, apply: s.apply, diagnose: s.diagnose })));
  const findings = r.diagnosis?.findings ?? [];
  const problems = findings.filter((f) => f.severity === 'error').length;
  const canApply = r.fix !== null && (r.fix !== MSI_FIX_ID || r.msi !== null);
  const pasted = r.diagnosis?.pastedError ?? null;
  const matched = new Set(pasted?.findings ?? []);
  const notKernel = pasted?.recognised === true && pasted.aboutKernel === false && problems === 0;
  const heading = notKernel ? 'Not a kernel problem' : problems === 0 ? (findings.length ? 'WSL works; a few things to know' : 'No problems found') : problems === 1 ? '1 problem found' : `${problems} problems found`;
  const extra = (fix: Fix) => (fix.id === MSI_FIX_ID ? <MsiPicker /> : null);

  return (
    <section className="screen" aria-labelledby="findings-title">
      <StepHeading id="findings-title">{heading}</StepHeading>
      {pasted && <PastedErrorResult report={pasted} />}
      {problems === 0 && findings.length === 0 && !notKernel && <p className="lead">WSL's kernel files, settings and this app's records are all in order.</p>}
      {findings.length > 0 && (
        <ul className="findings" aria-label="Findings">
          {findings.map((f) => (
            <FindingCard key={f.id} finding={f} chosen={r.fix} onChoose={r.chooseFix} extra={extra} matched={matched.has(f.id)} />
          ))}
        </ul>
      )}
      {r.error && <ProblemBox problem={r.error} live />}
      <FooterBar
        secondary={
          r.fix !== null || findings.length === 0 ? (
            <button type="button" onClick={() => void r.diagnose()} disabled={r.busy}>
              Diagnose again
            </button>
          ) : undefined
        }
        primary={
          r.fix !== null ? (
            <button type="button" className="primary" onClick={() => void r.apply()} disabled={r.busy || !canApply}>
              Apply the fix
            </button>
          ) : findings.length === 0 ? (
            <CloseButton />
          ) : (
            <button type="button" className="primary" onClick={() => void r.diagnose()} disabled={r.busy}>
              Check again
            </button>
          )
        }
      />
    </section>
  );
}
