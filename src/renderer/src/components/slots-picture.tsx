/** Both kernel slots as a picture: which file holds which version, which one WSL boots, bad versions marked. */
import type { MachineStatus, SlotName, SlotStatus } from '../../../shared/types';
import { formatBytes, shortHash } from '../format';

function SlotCard({ file, slot, boots, bad }: { file: SlotName; slot: SlotStatus; boots: boolean; bad: boolean }) {
  const titleId = `slot-${file.replace('.', '-')}`;
  return (
    <section className={`slot${boots ? ' slot-boots' : ''}${slot.present ? '' : ' slot-empty'}`} aria-labelledby={titleId} data-slot={file}>
      <header className="slot-head">
        <h3 id={titleId} className="slot-file">
          <code>{file}</code>
        </h3>
        <div className="badges">
          {boots && <span className="badge badge-boots">WSL boots this</span>}
          {bad && <span className="badge badge-bad">Marked bad</span>}
          {slot.present && !slot.valid && <span className="badge badge-bad">Not a valid kernel</span>}
        </div>
      </header>
      {slot.present ? (
        <dl className="facts">
          <dt>Version</dt>
          <dd className="slot-version">{slot.version ?? 'unknown'}</dd>
          {slot.release && (
            <>
              <dt>Release</dt>
              <dd>{slot.release}</dd>
            </>
          )}
          {slot.arch && (
            <>
              <dt>Architecture</dt>
              <dd>{slot.arch}</dd>
            </>
          )}
          <dt>Size</dt>
          <dd>{formatBytes(slot.size)}</dd>
          <dt>SHA-256</dt>
          <dd>
            <code title={slot.sha256}>{shortHash(slot.sha256)}…</code>
          </dd>
          {slot.problem && (
            <>
              <dt>Problem</dt>
              <dd>{slot.problem}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="slot-missing">No file</p>
      )}
    </section>
  );
}

export function SlotsPicture({ status }: { status: MachineStatus }) {
  const bad = new Set(status.badVersions);
  const isBad = (s: SlotStatus) => s.present && s.version !== null && bad.has(s.version);
  const boots = status.effective;
  return (
    <figure className="slots-figure">
      <figcaption>
        {boots ? (
          <>
            WSL boots <code>{boots}</code>
            {status.rollbackActive ? ' (a rollback is active)' : ''}.
          </>
        ) : (
          <strong>WSL has no kernel to boot.</strong>
        )}
      </figcaption>
      <div className="slots">
        <SlotCard file="kernel" slot={status.kernel} boots={boots === 'kernel'} bad={isBad(status.kernel)} />
        <SlotCard file="kernel.rollback" slot={status.rollbackKernel} boots={boots === 'kernel.rollback'} bad={isBad(status.rollbackKernel)} />
      </div>
      {status.badVersions.length > 0 && <p className="bad-list">Marked bad (not installed again): {status.badVersions.join(', ')}</p>}
    </figure>
  );
}

/** One line naming what each slot holds, for the wizard's Welcome and Done screens. */
export function SlotsSummary({ status }: { status: MachineStatus }) {
  const text = (s: SlotStatus) => (s.present ? (s.valid ? (s.version ?? 'unknown version') : 'not a valid kernel') : 'none');
  return (
    <dl className="facts facts-inline">
      <dt>
        <code>kernel</code>
      </dt>
      <dd data-slot="kernel">{text(status.kernel)}</dd>
      <dt>
        <code>kernel.rollback</code>
      </dt>
      <dd data-slot="kernel.rollback">{text(status.rollbackKernel)}</dd>
      <dt>WSL boots</dt>
      <dd>{status.effective ?? 'nothing (no kernel)'}</dd>
    </dl>
  );
}
