/**
 * One finding: a plain heading and sentence, its fixes in the engine's order (safest first, marked
 * Recommended), and the raw observations (paths, hashes, registry values) under Details. Fixes the
 * tool applies are choices; manual ones carry their one-click next step.
 */
import type { ReactNode } from 'react';
import { MANUAL_FIX_CODES } from '../../../../shared/remedies';
import type { Finding, Fix } from '../../../../shared/types';
import { Details } from '../../components/details';
import { RemedyAction } from '../../components/remedy-action';
import { FINDING_TEXT, findingTitle } from './finding-text';

export { findingTitle };

const SEVERITY: Record<Finding['severity'], string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

function FixText({ fix, recommended }: { fix: Fix; recommended: boolean }) {
  return (
    <>
      {fix.title}
      {recommended && <span className="badge badge-recommended">Recommended</span>}
    </>
  );
}

function ManualFix({ fix, recommended }: { fix: Fix; recommended: boolean }) {
  const code = MANUAL_FIX_CODES[fix.id];
  return (
    <div className="fix fix-manual" data-fix={fix.id}>
      <p className="fix-title">
        <FixText fix={fix} recommended={recommended} />
      </p>
      {code && <RemedyAction code={code} />}
      {fix.steps && fix.steps.length > 0 && <Details summary="Steps" text={fix.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')} />}
    </div>
  );
}

export function FindingCard({
  finding,
  chosen,
  onChoose,
  extra,
  matched = false,
}: {
  finding: Finding;
  /** The error the user pasted leads to this finding. */
  matched?: boolean;
  /** The chosen fix id; with onChoose, the tool's fixes are radio choices. */
  chosen?: string | null;
  onChoose?: (id: string) => void;
  /** Shown under the chosen fix (e.g. the installer package picker). */
  extra?: (fix: Fix) => ReactNode;
}) {
  const choosable = onChoose !== undefined && finding.fixes.some((f) => !f.manual);
  const Group = choosable ? 'fieldset' : 'div';
  const plain = FINDING_TEXT[finding.id]?.plain ?? finding.cause;
  return (
    <li className={`finding finding-${finding.severity}`} data-finding={finding.id}>
      <h3 className="finding-title">
        <span className={`badge badge-${finding.severity}`}>{SEVERITY[finding.severity]}</span> {findingTitle(finding.id)}
        {matched && <span className="badge badge-matched">Matches your error</span>}
      </h3>
      <p className="finding-plain">{plain}</p>
      {finding.fixes.length > 0 && (
        <Group className="fixes">
          {choosable ? <legend>How to fix it</legend> : <p className="fixes-label">How to fix it</p>}
          {finding.fixes.map((fix, i) =>
            fix.manual || !choosable ? (
              fix.manual ? (
                <ManualFix key={fix.id} fix={fix} recommended={i === 0} />
              ) : (
                <p key={fix.id} className="fix" data-fix={fix.id}>
                  <FixText fix={fix} recommended={i === 0} />
                </p>
              )
            ) : (
              <div key={fix.id} className="fix-choice">
                <label className={`fix${i === 0 ? ' fix-recommended' : ''}`} data-fix={fix.id}>
                  <input type="radio" name="fix" value={fix.id} checked={chosen === fix.id} onChange={() => onChoose?.(fix.id)} />
                  <span>
                    <FixText fix={fix} recommended={i === 0} />
                  </span>
                </label>
                {chosen === fix.id && extra?.(fix)}
              </div>
            ),
          )}
        </Group>
      )}
      <Details text={`Finding: ${finding.id}\nFound: ${finding.observed}\nLikely cause: ${finding.cause}`} />
    </li>
  );
}
