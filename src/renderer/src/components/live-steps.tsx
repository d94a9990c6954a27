/**
 * The running operation as installers show it: an overall bar, and the list of its steps with the
 * current one animated. Steps that report bytes (checking and copying the kernel) drive the bar;
 * the short steps after the copy are shown as the current step until the operation ends.
 */
import { useProgress } from '../stores/progress-store';
import { formatBytes } from '../format';

export interface LiveStep {
  id: string;
  title: string;
}

type State = 'done' | 'current' | 'waiting';

/** Which steps are done, which one runs now, from the byte progress reported so far. */
export function stepStates(steps: LiveStep[], reported: { step: string; done: number; total: number }[]): State[] {
  const complete = (id: string) => reported.some((p) => p.step === id && p.total > 0 && p.done >= p.total);
  // Steps without byte progress never complete by events: the first one after the copy is current.
  let current = steps.length;
  for (let i = 0; i < steps.length; i++) {
    if (!complete(steps[i]!.id)) {
      current = i;
      break;
    }
  }
  return steps.map((_, i) => (i < current ? 'done' : i === current ? 'current' : 'waiting'));
}

export function LiveSteps({ steps }: { steps: LiveStep[] }) {
  const reported = useProgress((s) => s.steps);
  const states = stepStates(steps, reported);
  const doneCount = states.filter((s) => s === 'done').length;
  const bytes = reported.reduce((n, p) => n + Math.min(p.done, p.total), 0);
  const total = reported.reduce((n, p) => n + p.total, 0);
  // Byte steps make up most of the time; each later step counts as one share of what is left.
  const overall = steps.length ? Math.round(((doneCount + (total && states.includes('current') ? bytes / total / 2 : 0)) / steps.length) * 100) : 0;
  const current = reported.find((p) => p.done < p.total);
  return (
    <div className="live">
      <div className="overall">
        <div className="progress-head">
          <span id="overall-label" className="progress-title">
            Overall progress
          </span>
          <span className="progress-bytes">{current ? `${formatBytes(current.done)} of ${formatBytes(current.total)}` : `${overall} %`}</span>
        </div>
        <progress id="overall" aria-labelledby="overall-label" value={overall} max={100} />
      </div>
      <ol className="live-steps" aria-label="Steps">
        {steps.map((s, i) => (
          <li key={s.id} className={`live-step live-${states[i]}`} data-live-step={s.id} data-state={states[i]} aria-current={states[i] === 'current' ? 'step' : undefined}>
            <span className={`live-icon${states[i] === 'current' ? ' spinner' : ''}`} aria-hidden="true">
              {states[i] === 'done' ? '✓' : ''}
            </span>
            <span>
              {s.title}
              <span className="visually-hidden">{states[i] === 'done' ? ' (done)' : states[i] === 'current' ? ' (in progress)' : ' (waiting)'}</span>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
