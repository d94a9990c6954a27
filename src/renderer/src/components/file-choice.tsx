/** "Choose another kernel file…" and "Use the kernel that comes with this app", under the payload card. */
import { FilePickButton } from './file-pick-button';

export function FileChoice({ onPick, disabled, picked, onUseBundled }: { onPick: () => Promise<void>; disabled: boolean; picked: boolean; onUseBundled: () => void }) {
  return (
    <div className="actions actions-inline">
      <FilePickButton kind="payload" onPick={onPick} disabled={disabled}>
        Choose another kernel file…
      </FilePickButton>
      {picked && (
        <button type="button" className="link-button" onClick={onUseBundled}>
          Use the kernel that comes with this app
        </button>
      )}
    </div>
  );
}
