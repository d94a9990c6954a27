/** One progress bar per step of the running operation, with bytes done out of total. */
import { useProgress } from '../stores/progress-store';
import { formatBytes } from '../format';

export function ProgressBars() {
  const steps = useProgress((s) => s.steps);
  if (steps.length === 0) return <p className="muted">Starting…</p>;
  return (
    <ul className="progress-list">
      {steps.map((p) => {
        const id = `progress-${p.step}`;
        const complete = p.total > 0 && p.done >= p.total;
        return (
          <li key={p.step} className={complete ? 'progress-item complete' : 'progress-item'} data-step={p.step}>
            <div className="progress-head">
              <span id={`${id}-label`} className="progress-title">
                {p.title}
              </span>
              <span className="progress-bytes">
                {formatBytes(p.done)} of {formatBytes(p.total)}
              </span>
            </div>
            <progress id={id} aria-labelledby={`${id}-label`} value={p.done} max={Math.max(1, p.total)} />
          </li>
        );
      })}
    </ul>
  );
}
