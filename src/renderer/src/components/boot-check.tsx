/**
 * The boot check after a WSL restart (docs/design.md §10): a spinner while WSL starts, then whether
 * it runs the kernel it should. When the new kernel did not boot, one button rolls back to the
 * previous one, restarts WSL and checks again.
 */
import type { BootCheck, CommandResult } from '../../../shared/types';

const TITLES: Record<BootCheck['outcome'], string> = {
  booted: 'WSL starts the new kernel',
  'not-restarted': 'WSL still runs the previous kernel',
  'boot-failed': 'The kernel did not boot',
  'other-kernel': 'WSL started another kernel',
  'no-distribution': 'There is no distribution to start',
};

function Outcome({ check, id, title }: { check: BootCheck; id: string; title?: string }) {
  const ok = check.outcome === 'booted';
  return (
    <section className={`panel${ok ? ' panel-success' : ' panel-warning'}`} aria-labelledby={id} data-boot={check.outcome} role="status">
      <h3 id={id}>{title ?? TITLES[check.outcome]}</h3>
      <p>{check.message}</p>
      {check.error && (
        <>
          <p>WSL said:</p>
          <pre className="wsl-error">{check.error.message}</pre>
        </>
      )}
      {check.steps && check.steps.length > 0 && (
        <ol className="steps-by-hand">
          {check.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function BootCheckPanel({
  verifying,
  verified,
  fallback,
  fallingBack,
  onRollBack,
}: {
  verifying: boolean;
  verified: CommandResult | null;
  fallback: CommandResult | null;
  fallingBack: boolean;
  onRollBack(): void;
}) {
  if (verifying) {
    return (
      <section className="panel" aria-labelledby="boot-checking-title" role="status" data-boot="checking">
        <h3 id="boot-checking-title">
          <span className="check-icon spinner boot-spinner" aria-hidden="true" /> Checking that WSL starts the kernel…
        </h3>
        <p>WSL is started and asked which kernel it runs (uname -r).</p>
      </section>
    );
  }
  const check = verified?.boot;
  if (!check) return null;
  const previous = verified.status?.rollbackKernel.present ? verified.status.rollbackKernel.version : null;
  const failed = check.outcome === 'boot-failed';
  const after = fallback?.boot ?? null;
  return (
    <>
      <Outcome check={check} id="boot-title" />
      {failed && !fallback && previous && (
        <div className="actions actions-inline">
          <button type="button" className="primary" onClick={onRollBack} disabled={fallingBack}>
            {fallingBack ? `Rolling back to ${previous}…` : `Roll back to ${previous}`}
          </button>
          <p className="muted">WSL then uses kernel {previous} again, is restarted, and is checked once more.</p>
        </div>
      )}
      {failed && !previous && <p className="reason">There is no previous kernel to go back to: open the repair to find out why WSL cannot start.</p>}
      {fallingBack && (
        <section className="panel" role="status" data-boot="checking">
          <h3>
            <span className="check-icon spinner boot-spinner" aria-hidden="true" /> Rolling back and checking that WSL starts…
          </h3>
        </section>
      )}
      {fallback && !fallback.ok && <p className="reason">{fallback.message}</p>}
      {fallback?.ok && <p className="lead">{fallback.message}</p>}
      {after && (
        <Outcome
          check={after}
          id="boot-after-title"
          title={after.outcome === 'booted' ? `WSL starts kernel ${after.expected?.version ?? previous ?? ''} again` : after.outcome === 'boot-failed' ? 'The previous kernel did not boot either' : undefined}
        />
      )}
      {after?.outcome === 'boot-failed' && <p className="reason">Neither kernel starts: open the repair to find out why WSL cannot start.</p>}
    </>
  );
}
