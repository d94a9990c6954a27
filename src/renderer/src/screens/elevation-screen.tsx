/** Shown on Windows when the app runs without administrator rights: offer to restart elevated. */
import { useShallow } from 'zustand/react/shallow';
import { ERRORS } from '../../../shared/errors';
import { FooterBar } from '../components/footer-bar';
import { ProblemBox } from '../components/problem-box';
import { StepHeading } from '../components/step-heading';
import { useApp } from '../stores/app-store';

const OUTCOME_TEXT = {
  relaunched: 'Restarting as administrator… This window closes when the new one opens.',
  cancelled: 'The administrator prompt was cancelled; nothing changed. You can try again.',
  unsupported: 'This system cannot restart the app as administrator. Start it as administrator yourself.',
} as const;

export function ElevationScreen() {
  const { busy, outcome, error } = useApp(useShallow((s) => s.elevation));
  const relaunch = useApp((s) => s.relaunchElevated);
  const dismiss = useApp((s) => s.dismissElevation);
  const info = ERRORS['not-elevated'];
  return (
    <section className="screen" aria-labelledby="elevation-title">
      <StepHeading id="elevation-title">{info.title}</StepHeading>
      <p className="lead">{info.explanation}</p>
      <p>Installing, rolling back and repairing the kernel change files in a protected Windows folder, so Windows asks for your permission first.</p>
      {outcome && (
        <p className={outcome === 'relaunched' ? 'notice' : 'notice notice-warning'} role="status">
          {OUTCOME_TEXT[outcome]}
        </p>
      )}
      {error && <ProblemBox problem={error} live />}
      <FooterBar
        secondary={
          <button type="button" onClick={dismiss}>
            Continue without administrator rights
          </button>
        }
        primary={
          <button type="button" className="primary" onClick={() => void relaunch()} disabled={busy}>
            {busy ? 'Waiting for Windows…' : 'Restart as administrator'}
          </button>
        }
      />
    </section>
  );
}
