/** One finding: what was observed, the likely cause, and its fixes (the engine's safest first). */
import type { Finding } from '../../../../shared/types';

const SEVERITY: Record<Finding['severity'], string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

export function FindingCard({
  finding,
  chosen,
  recommended,
  onChoose,
}: {
  finding: Finding;
  chosen?: string | null;
  recommended?: string | null;
  onChoose?: (id: string) => void;
}) {
  const titleId = `finding-${finding.id}`;
  return (
    <li className={`finding finding-${finding.severity}`} data-finding={finding.id}>
      <h3 id={titleId} className="finding-title">
        <span className={`badge badge-${finding.severity}`}>{SEVERITY[finding.severity]}</span> {finding.observed}
      </h3>
      <p className="finding-cause">
        <span className="remedy-label">Likely cause:</span> {finding.cause}
      </p>
      {finding.fixes.length > 0 && onChoose && (
        <fieldset className="fixes">
          <legend>Fixes</legend>
          {finding.fixes.map((fix) => (
            <label key={fix.id} className={`fix${fix.id === recommended ? ' fix-recommended' : ''}`} data-fix={fix.id}>
              <input type="radio" name="fix" value={fix.id} checked={chosen === fix.id} onChange={() => onChoose(fix.id)} />
              <span>
                {fix.title}
                {fix.id === recommended && <span className="badge badge-recommended">Recommended</span>}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {finding.fixes.length > 0 && !onChoose && (
        <ul className="fix-list">
          {finding.fixes.map((fix) => (
            <li key={fix.id}>{fix.title}</li>
          ))}
        </ul>
      )}
    </li>
  );
}
