/** The repair wizard: Diagnose → Findings → Apply → Verify, with the diagnostics bundle export. */
import { useLayoutEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ProblemBox } from '../../components/problem-box';
import { StepsIndicator } from '../../components/steps-indicator';
import { REPAIR_STEPS, useRepair } from '../../stores/repair-store';
import type { RepairStep } from '../../stores/repair-store';
import { ApplyStep } from './apply-step';
import { DiagnoseStep } from './diagnose-step';
import { FindingsStep } from './findings-step';
import { VerifyStep } from './verify-step';

const LABELS: Record<RepairStep, string> = { diagnose: 'Diagnose', findings: 'Findings', apply: 'Apply', verify: 'Verify' };

function BundleExport() {
  const { busy, path, error } = useRepair(useShallow((s) => s.bundle));
  const exportBundle = useRepair((s) => s.exportBundle);
  return (
    <section className="panel panel-quiet" aria-labelledby="bundle-title">
      <h3 id="bundle-title">Diagnostics bundle</h3>
      <p>One file with the status, findings, pre-checks and history, for a support ticket. It holds nothing secret.</p>
      <div className="actions actions-inline">
        <button type="button" onClick={() => void exportBundle()} disabled={busy}>
          {busy ? 'Saving…' : 'Export diagnostics bundle…'}
        </button>
      </div>
      {path && (
        <p className="notice notice-success" role="status">
          Saved to <code>{path}</code>
        </p>
      )}
      {error && <ProblemBox problem={error} live />}
    </section>
  );
}

export function RepairWizard() {
  const step = useRepair((s) => s.step);
  const resume = useRepair((s) => s.resume);
  // Before the first paint: findings another screen's change made stale are never shown.
  useLayoutEffect(() => resume(), [resume]);
  return (
    <div className="wizard" data-screen={`repair-${step}`}>
      <StepsIndicator steps={REPAIR_STEPS} labels={LABELS} current={step} />
      {step === 'diagnose' && <DiagnoseStep />}
      {step === 'findings' && <FindingsStep />}
      {step === 'apply' && <ApplyStep />}
      {step === 'verify' && <VerifyStep />}
      {step !== 'apply' && <BundleExport />}
    </div>
  );
}
