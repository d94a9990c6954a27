/**
 * One finding: what was observed, the likely cause, and its fixes in the engine's order (safest
 * first, marked Recommended). Fixes the tool applies are choices; manual ones are steps to take.
 */
import type { ReactNode } from 'react';
import type { Finding, Fix } from '../../../../shared/types';

const SEVERITY: Record<Finding['severity'], string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

/** Short headings for the engine's finding ids (the details come from the finding itself). */
const TITLES: Record<string, string> = {
  'journal-unreadable': 'Unreadable operation journal',
  'kernel-invalid': 'The kernel file is not a valid kernel',
  'kernel-missing': 'The kernel file is missing',
  'kernel-modified': 'The kernel file changed since it was installed',
  'low-disk-space': 'Not enough free disk space',
  'not-elevated': 'No administrator rights',
  'operation-interrupted': 'An operation was interrupted',
  'operation-running': 'Another operation is running',
  'restart-pending': 'Windows must restart',
  'rollback-flag-orphaned': 'WSL is set to boot a missing kernel.rollback',
  'rollback-kernel-invalid': 'kernel.rollback is not a valid kernel',
  'rollback-kernel-modified': 'kernel.rollback changed since it was kept',
  'state-damaged': "The tool's state file is damaged",
  'temp-files-left': 'Temporary files left by a crash',
  'unsupported-architecture': 'Unsupported processor architecture',
  'vm-platform-missing': 'Virtual Machine Platform is not enabled',
  'windows-build-unsupported': 'This Windows version is too old for WSL 2',
  'wsl-not-enabled': 'Windows Subsystem for Linux is not enabled',
};

/** A finding's heading: its known title, else its id in words (`kernel-missing` → "Kernel missing"). */
export function findingTitle(id: string): string {
  const known = TITLES[id];
  if (known) return known;
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function FixText({ fix, recommended }: { fix: Fix; recommended: boolean }) {
  return (
    <>
      {fix.title}
      {recommended && <span className="badge badge-recommended">Recommended</span>}
    </>
  );
}

function ManualFix({ fix, recommended }: { fix: Fix; recommended: boolean }) {
  return (
    <div className="fix fix-manual" data-fix={fix.id}>
      <p className="fix-title">
        <span className="badge badge-info">Steps for you</span> <FixText fix={fix} recommended={recommended} />
      </p>
      {fix.steps && fix.steps.length > 0 && (
        <ol className="fix-steps">
          {fix.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function FindingCard({
  finding,
  chosen,
  onChoose,
  extra,
}: {
  finding: Finding;
  /** The chosen fix id; with onChoose, the tool's fixes are radio choices. */
  chosen?: string | null;
  onChoose?: (id: string) => void;
  /** Shown under the chosen fix (e.g. the installer package picker). */
  extra?: (fix: Fix) => ReactNode;
}) {
  const choosable = onChoose !== undefined && finding.fixes.some((f) => !f.manual);
  const Group = choosable ? 'fieldset' : 'div';
  return (
    <li className={`finding finding-${finding.severity}`} data-finding={finding.id}>
      <h3 className="finding-title">
        <span className={`badge badge-${finding.severity}`}>{SEVERITY[finding.severity]}</span> {findingTitle(finding.id)}
      </h3>
      <p className="finding-observed">
        <span className="remedy-label">Found:</span> {finding.observed}
      </p>
      <p className="finding-cause">
        <span className="remedy-label">Likely cause:</span> {finding.cause}
      </p>
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
    </li>
  );
}
