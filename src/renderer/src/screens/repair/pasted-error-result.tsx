/**
 * What the pasted error means on this computer (docs/design.md §13): its meaning, what the
 * computer shows, and either the findings below that match it or, when it is not about the
 * kernel, the one next step. The engine decides all of it; this only shows it.
 */
import type { PastedErrorReport } from '../../../../shared/types';

export function PastedErrorResult({ report }: { report: PastedErrorReport }) {
  const tone = report.recognised && report.aboutKernel === false ? 'notice-warning' : '';
  const heading = !report.recognised ? 'This error is not one this app knows' : report.aboutKernel === false ? 'This error is not about the kernel' : 'What your error means';
  return (
    <section className={`notice pasted-error ${tone}`} aria-labelledby="pasted-error-result-title" data-pasted-kind={report.kind ?? 'unrecognised'}>
      <h3 id="pasted-error-result-title">{heading}</h3>
      {report.recognised && report.code && (
        <p>
          Error code <code>{report.code}</code>
        </p>
      )}
      <p>{report.meaning}</p>
      {report.findings.length > 0 ? (
        // What the computer shows is the matching finding itself (its observations are under its Details).
        <p>The problem marked “Matches your error” below is its cause on this computer, with its fix.</p>
      ) : (
        <>
          <p>
            <span className="remedy-label">On this computer:</span> {report.onThisMachine}
          </p>
          <p className="next-step">
            <span className="remedy-label">Next step:</span> {report.nextStep}
          </p>
        </>
      )}
    </section>
  );
}
