/** A refusal or error as the engine explained it: title, what happened, what to do. */
import type { ReactNode } from 'react';
import type { Problem } from '../problem';

export function ProblemBox({
  problem,
  tone = 'error',
  live = false,
  children,
}: {
  problem: Problem;
  tone?: 'error' | 'warning';
  /** Announce it (for a problem that appears after an action). */
  live?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className={`problem problem-${tone}`} role={live ? 'alert' : undefined} data-code={problem.code}>
      <p className="problem-title">{problem.title}</p>
      <p>{problem.message}</p>
      {problem.remedy && (
        <p className="remedy">
          <span className="remedy-label">What to do:</span> {problem.remedy}
        </p>
      )}
      {children}
    </div>
  );
}
