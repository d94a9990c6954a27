/** Both kernel slots as a picture: which version is in use, which one is the fallback, versions rolled back from. */
import type { MachineStatus, SlotName, SlotStatus } from '../../../shared/types';
import { formatBytes } from '../format';
import { Details } from './details';
import { slotsOf } from '../slots-of';

/** The date of an ISO time, as the user's locale writes it. */
const day = (iso: string): string => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

const SLOT_TITLES: Record<SlotName, string> = { kernel: 'Current kernel', 'kernel.rollback': 'Previous kernel (fallback)' };

function slotDetails(folder: string, file: SlotName, slot: SlotStatus, modules: string | null): string {
  if (!slot.present) return `File: ${folder}\\${file} (missing)`;
  return [
    `File: ${folder}\\${file}`,
    slot.release && `Release: ${slot.release}`,
    slot.arch && `Architecture: ${slot.arch}`,
    `Size: ${formatBytes(slot.size)}`,
    `SHA-256: ${slot.sha256}`,
    slot.problem && `Problem: ${slot.problem}`,
    modules && `Modules disk SHA-256: ${modules}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function SlotCard({ folder, file, slot, inUse, bad, modules = null }: { folder: string; file: SlotName; slot: SlotStatus; inUse: boolean; bad: boolean; modules?: string | null }) {
  const titleId = `slot-${file.replace('.', '-')}`;
  return (
    <section className={`slot${inUse ? ' slot-in-use' : ''}${slot.present ? '' : ' slot-empty'}`} aria-labelledby={titleId} data-slot={file}>
      <header className="slot-head">
        <h3 id={titleId} className="slot-file">
          {SLOT_TITLES[file]}
        </h3>
        <div className="badges">
          {inUse && <span className="badge badge-in-use">In use</span>}
          {bad && <span className="badge badge-bad">Rolled back from</span>}
          {slot.present && !slot.valid && <span className="badge badge-bad">Damaged</span>}
        </div>
      </header>
      {slot.present ? (
        <p className="slot-version">{slot.version ? `Version ${slot.version}` : 'Not a valid kernel'}</p>
      ) : (
        <p className="slot-missing">None</p>
      )}
      {slot.present && modules && <p className="muted slot-modules">With its kernel modules disk (they move together)</p>}
      {bad && <p className="muted">Updates do not install this version again.</p>}
      {slot.present && slot.bootFact && (
        <p className="slot-boot" data-boot-fact={slot.bootFact.result}>
          {slot.bootFact.result === 'booted'
            ? `Known good: booted on ${day(slot.bootFact.at)}`
            : `Failed to boot on ${day(slot.bootFact.at)}${slot.bootFact.error?.code ? ` (${slot.bootFact.error.code.split('/').pop()})` : ''}`}
        </p>
      )}
      <Details text={slotDetails(folder, file, slot, modules)} />
    </section>
  );
}

export function SlotsPicture({ status: raw }: { status: MachineStatus }) {
  const { status, folder, bootSentence } = slotsOf(raw);
  const bad = new Set(status.badVersions);
  const isBad = (s: SlotStatus) => s.present && s.version !== null && bad.has(s.version);
  const inUse = status.effective;
  const onDisk = [status.kernel, status.rollbackKernel].flatMap((s) => (s.present && s.version ? [s.version] : []));
  const elsewhere = status.badVersions.filter((v) => !onDisk.includes(v));
  return (
    <figure className="slots-figure">
      <figcaption>
        {bootSentence && !inUse ? (
          <>{bootSentence}</>
        ) : inUse ? (
          <>
            WSL uses the {inUse === 'kernel' ? 'current' : 'previous'} kernel{status.rollbackActive ? ' (a rollback is active)' : ''}.
          </>
        ) : (
          <strong>WSL has no kernel it can start.</strong>
        )}
      </figcaption>
      <div className="slots">
        <SlotCard folder={folder} file="kernel" slot={status.kernel} inUse={inUse === 'kernel'} bad={isBad(status.kernel)} modules={raw.storeSlots?.modules?.kernel ?? null} />
        <SlotCard folder={folder} file="kernel.rollback" slot={status.rollbackKernel} inUse={inUse === 'kernel.rollback'} bad={isBad(status.rollbackKernel)} modules={raw.storeSlots?.modules?.rollbackKernel ?? null} />
      </div>
      {elsewhere.length > 0 && <p className="bad-list">Also not installed again (rolled back from before): {elsewhere.join(', ')}</p>}
    </figure>
  );
}

/** What is installed, in two plain lines, for the wizard's first and last screens. */
export function SlotsSummary({ status: raw }: { status: MachineStatus }) {
  const { status, bootSentence } = slotsOf(raw);
  const text = (s: SlotStatus) => (s.present ? (s.valid ? `kernel ${s.version ?? '(unknown version)'}` : 'a damaged file') : 'none');
  const inUse = status.effective === 'kernel' ? status.kernel : status.effective === 'kernel.rollback' ? status.rollbackKernel : null;
  const fallback = status.effective === 'kernel.rollback' ? status.kernel : status.rollbackKernel;
  // Store WSL booting a kernel the tool does not own: WSL's own, or the one the user's .wslconfig names.
  const boot = raw.boot;
  const booted = boot?.kernel.present ? `${boot.source === 'wslconfig' ? 'the kernel named in .wslconfig' : "WSL's own kernel"} ${boot.kernel.version ?? ''}`.trim() : null;
  return (
    <dl className="facts facts-inline">
      <dt>In use</dt>
      <dd data-slot="in-use">{inUse ? text(inUse) : bootSentence && booted ? booted : 'none: WSL cannot start Linux'}</dd>
      <dt>{status.effective === 'kernel.rollback' ? 'Rolled back from' : 'Fallback'}</dt>
      <dd data-slot="fallback">{text(fallback)}</dd>
    </dl>
  );
}
