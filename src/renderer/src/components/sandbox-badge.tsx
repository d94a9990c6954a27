/**
 * The "Sandbox" bar: the app works on a folder, not on this computer's Windows. One line (a long
 * path is shortened, in full on hover). In the browser host, which has no folder dialog, another
 * sandbox is named in a field that the host checks (it refuses anything but a sandbox folder).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MachineInfo } from '../../../shared/ipc-api';
import { api } from '../api';
import { useApp } from '../stores/app-store';
import { ProblemBox } from './problem-box';

function browserHost() {
  try {
    return api().browserHost ?? null;
  } catch {
    return null;
  }
}

export function SandboxBadge({ machine }: { machine: MachineInfo }) {
  const { busy, error } = useApp(useShallow((s) => s.sandbox));
  const pick = useApp((s) => s.pickSandbox);
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [refused, setRefused] = useState<string | null>(null);
  const host = browserHost();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!host || !path.trim()) return;
    setRefused(null);
    const queued = await host.chooseFolder(path.trim());
    if (!queued.ok) return setRefused(queued.message);
    await pick();
    if (!useApp.getState().sandbox.error) setOpen(false);
  }

  return (
    <div className="sandbox" data-testid="sandbox-badge">
      <span className="badge badge-sandbox">Sandbox</span>
      <span className="sandbox-text" title={machine.root ?? ''}>
        Changes stay in <code className="sandbox-path">{machine.root}</code>
      </span>
      <button type="button" className="link-button" onClick={() => (host ? setOpen(!open) : void pick())} disabled={busy} aria-expanded={host ? open : undefined}>
        Choose another sandbox…
      </button>
      {host && open && (
        <form className="sandbox-form" onSubmit={(e) => void submit(e)}>
          <label htmlFor="sandbox-path">Sandbox folder</label>
          <input id="sandbox-path" type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/sandbox (a folder with machine.reg)" spellCheck={false} />
          <button type="submit" disabled={busy || !path.trim()}>
            Open
          </button>
          {refused && <p className="reason">{refused}</p>}
        </form>
      )}
      {error && <ProblemBox problem={error} live />}
    </div>
  );
}
