/** The install wizard: the store decides the step, each step is its own component. */
import { useLayoutEffect } from 'react';
import { StepsIndicator } from '../../components/steps-indicator';
import { WIZARD_STEPS, useWizard } from '../../stores/wizard-store';
import type { WizardStep } from '../../stores/wizard-store';
import { DoneStep } from './done-step';
import { PlanStep } from './plan-step';
import { PrechecksStep } from './prechecks-step';
import { ProgressStep } from './progress-step';
import { WelcomeStep } from './welcome-step';

const LABELS: Record<WizardStep, string> = { welcome: 'Welcome', prechecks: 'Check', plan: 'Review', progress: 'Install', done: 'Done' };

export function InstallWizard() {
  const step = useWizard((s) => s.step);
  const resume = useWizard((s) => s.resume);
  // Before the first paint: a step another screen's change made stale is never shown.
  useLayoutEffect(() => resume(), [resume]);
  const outcome = useWizard((s) => (s.step !== 'done' ? null : (s.error?.code ?? s.result?.code ?? null)));
  const failed = outcome ? { step: 'progress' as const, text: outcome === 'cancelled' ? 'cancelled' : 'failed' } : null;
  return (
    <div className="wizard" data-screen={`install-${step}`}>
      <StepsIndicator steps={WIZARD_STEPS} labels={LABELS} current={step} failed={failed} />
      {step === 'welcome' && <WelcomeStep />}
      {step === 'prechecks' && <PrechecksStep />}
      {step === 'plan' && <PlanStep />}
      {step === 'progress' && <ProgressStep />}
      {step === 'done' && <DoneStep />}
    </div>
  );
}
