/**
 * The first screen's "paste the error" box (docs/design.md §13): the message WSL showed, looked up by
 * the engine by its code in any language. Ctrl+Enter looks it up too.
 */
import type { KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useRepair } from '../../stores/repair-store';

export function PasteErrorForm() {
  const r = useRepair(useShallow((s) => ({ pasted: s.pasted, busy: s.busy, setPasted: s.setPasted, lookUpError: s.lookUpError })));
  const ready = r.pasted.trim().length > 0 && !r.busy;
  const submitOnCtrlEnter = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && ready) {
      e.preventDefault();
      void r.lookUpError();
    }
  };
  return (
    <form
      className="panel paste-error"
      aria-labelledby="paste-error-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void r.lookUpError();
      }}
    >
      <h3 id="paste-error-title">Did WSL show an error?</h3>
      <label htmlFor="pasted-error" className="field-label">
        Paste the error message WSL showed
      </label>
      <textarea
        id="pasted-error"
        className="paste-error-text"
        rows={5}
        maxLength={64 * 1024}
        spellCheck={false}
        aria-describedby="pasted-error-hint"
        value={r.pasted}
        onChange={(e) => r.setPasted(e.target.value)}
        onKeyDown={submitOnCtrlEnter}
      />
      <p id="pasted-error-hint" className="hint">
        For example “Error code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT” or “0x800701bc”. Any language works: the code decides.
      </p>
      <div className="actions actions-inline">
        <button type="submit" disabled={!ready}>
          {r.busy ? 'Looking it up…' : 'Look up this error'}
        </button>
      </div>
    </form>
  );
}
