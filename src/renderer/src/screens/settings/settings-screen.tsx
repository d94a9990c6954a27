/** Settings: both slots as a picture, Rollback, Advanced → Undo rollback, and the history. */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { problemOf } from '../../api';
import { CloseButton } from '../../components/close-button';
import { FooterBar } from '../../components/footer-bar';
import { useApp } from '../../stores/app-store';
import { HistoryTimeline } from '../../components/history-timeline';
import { ProblemBox } from '../../components/problem-box';
import { RestartWsl } from '../../components/restart-wsl';
import { BootCheckPanel } from '../../components/boot-check';
import { SlotsPicture } from '../../components/slots-picture';
import { StepHeading } from '../../components/step-heading';
import { useSettings } from '../../stores/settings-store';
import { AdvancedPanel } from './advanced-panel';
import { RollbackPanel } from './rollback-panel';
import { StorePanel } from './store-panel';
import { UpdatesPanel } from './updates-panel';

export function SettingsScreen() {
  const s = useSettings(
    useShallow((x) => ({
      loaded: x.loaded,
      busy: x.busy,
      error: x.error,
      status: x.status,
      history: x.history,
      done: x.done,
      shutdown: x.shutdown,
      open: x.open,
      restartWsl: x.restartWsl,
      verified: x.verified,
      verifying: x.verifying,
      fallback: x.fallback,
      fallingBack: x.fallingBack,
      verify: x.verify,
      rollBack: x.rollBackAfterFailedBoot,
    })),
  );
  const { open } = s;
  const version = useApp((a) => a.info?.version ?? '');
  // Before the first paint: a picture another screen made stale is dropped, never shown.
  useLayoutEffect(() => {
    void open();
  }, [open]);
  // After a confirmed action the focus goes to its result, not to <body>.
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (s.done) resultRef.current?.focus();
  }, [s.done]);
  const machine = s.status?.status ?? null;
  const doneProblem = problemOf(s.done?.result);
  const shutdownProblem = problemOf(s.shutdown);

  return (
    <section className="screen" aria-labelledby="settings-title" data-screen="settings">
      <StepHeading id="settings-title">Kernels on this computer</StepHeading>
      {!s.loaded && s.busy && <p aria-busy="true">Reading the kernel files…</p>}
      {s.error && <ProblemBox problem={s.error} live />}
      {machine && <SlotsPicture status={machine} />}

      {s.done && (
        <div className="result" data-testid="settings-result" ref={resultRef} tabIndex={-1}>
          {doneProblem ? (
            <ProblemBox problem={doneProblem} live />
          ) : (
            <p className="notice notice-success" role="status">
              {s.done.result.message}
            </p>
          )}
          {s.done.result.ok && s.done.result.restartNeeded && (
            <RestartWsl running={s.done.result.running ?? []} shutdown={s.shutdown} busy={s.busy} onRestart={() => void s.restartWsl()} />
          )}
          {shutdownProblem && <ProblemBox problem={shutdownProblem} live />}
        </div>
      )}

      {machine && <StorePanel />}
      {machine && (
        <section className="panel" aria-labelledby="verify-title">
          <h3 id="verify-title">Does WSL start its kernel?</h3>
          <p>Starts WSL (a distribution that is not running is started) and reads which kernel it runs.</p>
          <div className="actions actions-inline">
            <button type="button" onClick={() => void s.verify()} disabled={s.busy || s.verifying}>
              Start WSL and check
            </button>
          </div>
          <BootCheckPanel verifying={s.verifying} verified={s.verified} fallback={s.fallback} fallingBack={s.fallingBack} onRollBack={() => void s.rollBack()} />
        </section>
      )}

      {machine && <UpdatesPanel />}
      {machine && <RollbackPanel />}
      {machine && <AdvancedPanel />}

      <details className="panel history">
        <summary>
          <h3 id="history-title">History</h3>
        </summary>
        <HistoryTimeline entries={s.history} />
      </details>
      <p className="muted version-line">WSL Kernel Setup {version}</p>
      <FooterBar primary={<CloseButton label="Close" />} />
    </section>
  );
}
