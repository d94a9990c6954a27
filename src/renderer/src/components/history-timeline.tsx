/** The tool's history of operations, newest first. */
import type { HistoryEntry } from '../../../shared/types';
import { formatDateTime, opLabel } from '../format';

export function HistoryTimeline({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p className="muted">No operation has run on this machine yet.</p>;
  return (
    <ol className="timeline">
      {[...entries].reverse().map((h) => (
        <li key={h.id} className={h.ok ? 'timeline-ok' : 'timeline-failed'}>
          <div className="timeline-head">
            <span className="timeline-op">{opLabel(h.op)}</span>
            <span className={`badge ${h.ok ? 'badge-ok' : 'badge-bad'}`}>{h.ok ? 'Done' : 'Failed'}</span>
            <time dateTime={h.at}>{formatDateTime(h.at)}</time>
          </div>
          <p className="timeline-message">{h.message}</p>
          {h.kernel !== undefined && (
            <p className="timeline-state">
              After: current kernel {h.kernel ?? 'none'}, previous {h.rollbackKernel ?? 'none'}
              {h.rollbackActive ? ' (rolled back: the previous one in use)' : ''}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
