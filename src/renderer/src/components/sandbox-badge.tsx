/** The visible "Sandbox" badge: the app works on a folder, not on this computer's Windows. */
import { useShallow } from 'zustand/react/shallow';
import type { MachineInfo } from '../../../shared/ipc';
import { useApp } from '../stores/app-store';
import { ProblemBox } from './problem-box';

export function SandboxBadge({ machine }: { machine: MachineInfo }) {
  const { busy, error } = useApp(useShallow((s) => s.sandbox));
  const pick = useApp((s) => s.pickSandbox);
  return (
    <div className="sandbox" data-testid="sandbox-badge">
      <span className="badge badge-sandbox">Sandbox</span>
      <span className="sandbox-text">
        Changes stay in <code className="sandbox-path">{machine.root}</code>
      </span>
      <button type="button" className="link-button" onClick={() => void pick()} disabled={busy}>
        Choose another sandbox…
      </button>
      {error && <ProblemBox problem={error} live />}
    </div>
  );
}
