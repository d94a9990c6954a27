/**
 * The one-click next step for a failure (shared/remedies.ts): open the right Windows Settings page,
 * restart Windows after a confirmation, restart as administrator, turn on WSL's Windows features
 * after a confirmation, or choose another kernel file.
 * Where the app cannot act (a sandbox, the browser host) the command to copy is the step.
 */
import { useEffect, useRef, useState } from 'react';
import type { ErrorCode } from '../../../shared/errors';
import { REMEDY_ACTIONS, SETTINGS_PAGES } from '../../../shared/remedies';
import { call, problemFrom, problemOf } from '../api';
import type { Problem } from '../problem';
import { useApp } from '../stores/app-store';
import { CommandLine } from './copy-button';
import { InlineConfirm } from './inline-confirm';
import { ProblemBox } from './problem-box';

export function RemedyAction({ code, onChooseKernel, onChanged }: { code: ErrorCode; onChooseKernel?: () => void; onChanged?: () => void }) {
  const action = REMEDY_ACTIONS[code];
  const system = useApp((s) => s.info?.systemActions ?? false);
  const relaunch = useApp((s) => s.relaunchElevated);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  if (!action) return null;

  async function run(work: () => Promise<string | null>) {
    setProblem(null);
    try {
      setNote(await work());
    } catch (err) {
      setProblem(problemFrom(err));
    }
  }

  let button = null;
  if (action.kind === 'settings' && system) {
    button = (
      <button type="button" className="primary remedy-button" onClick={() => void run(async () => ((await call('openSettings', { page: action.page })).opened ? 'Windows Settings opened.' : null))}>
        {action.label}
      </button>
    );
  } else if (action.kind === 'restart-windows' && system) {
    button = confirming ? (
      <div
        className="confirm"
        role="group"
        aria-label="Restart Windows"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setConfirming(false);
            triggerRef.current?.focus();
          }
        }}
      >
        <p>Restart Windows now? Save your work in other programs first.</p>
        <button ref={confirmRef} type="button" className="danger" onClick={() => void run(async () => (await call('restartWindows', {})).message)}>
          Restart now
        </button>{' '}
        <button type="button" onClick={() => setConfirming(false)}>
          Not now
        </button>
      </div>
    ) : (
      <button ref={triggerRef} type="button" className="primary remedy-button" onClick={() => setConfirming(true)}>
        {action.label}
      </button>
    );
  } else if (action.kind === 'enable-features') {
    // The engine turns them on: dism.exe on Windows, the registry of a sandbox.
    const enable = () =>
      run(async () => {
        setConfirming(false);
        setBusy(true);
        try {
          const r = await call('enableFeatures', {});
          const failed = problemOf(r);
          if (failed) {
            setProblem(failed);
            return null;
          }
          onChanged?.();
          return r.message;
        } finally {
          setBusy(false);
          requestAnimationFrame(() => triggerRef.current?.focus());
        }
      });
    button = confirming ? (
      <InlineConfirm
        id={`enable-${code}`}
        title="Turn on Windows Subsystem for Linux and Virtual Machine Platform?"
        onDismiss={() => {
          setConfirming(false);
          // The button is rendered again after this state change: focus it then.
          requestAnimationFrame(() => triggerRef.current?.focus());
        }}
      >
        <p>Windows turns them on in the background (this can take a few minutes) and finishes when it restarts. Nothing else changes.</p>
        <button ref={confirmRef} type="button" className="primary" onClick={() => void enable()}>
          Turn on
        </button>{' '}
        <button
          type="button"
          onClick={() => {
            setConfirming(false);
            requestAnimationFrame(() => triggerRef.current?.focus());
          }}
        >
          Not now
        </button>
      </InlineConfirm>
    ) : (
      <button ref={triggerRef} type="button" className="primary remedy-button" onClick={() => setConfirming(true)} disabled={busy} aria-busy={busy}>
        {busy ? 'Turning on… (this can take a few minutes)' : action.label}
      </button>
    );
  } else if (action.kind === 'relaunch-elevated' && system) {
    button = (
      <button type="button" className="primary remedy-button" onClick={() => void relaunch()}>
        {action.label}
      </button>
    );
  } else if (action.kind === 'choose-kernel' && onChooseKernel) {
    button = (
      <button type="button" className="primary remedy-button" onClick={onChooseKernel}>
        {action.label}
      </button>
    );
  }
  const uri = action.kind === 'settings' && !button ? SETTINGS_PAGES[action.page] : undefined;
  const command = ('command' in action ? action.command : undefined) ?? uri;
  if (!button && !command) return null;
  return (
    <div className="remedy-action" data-remedy={action.kind}>
      {button}
      {command && (
        <>
          {!button && <p className="muted">{uri && command === uri ? 'On Windows, open this with Win+R:' : 'Run this in a terminal opened as administrator:'}</p>}
          <CommandLine command={command} />
        </>
      )}
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      {problem && <ProblemBox problem={problem} live />}
    </div>
  );
}
