/** Welcome: install, update, up to date or downgrade, in one title; what will be installed and what is installed now. */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ERRORS } from '../../../../shared/errors';
import { CloseButton } from '../../components/close-button';
import { FileChoice } from '../../components/file-choice';
import { FooterBar } from '../../components/footer-bar';
import { PayloadCard } from '../../components/payload-card';
import { ProblemBox } from '../../components/problem-box';
import { SlotsSummary } from '../../components/slots-picture';
import { StepHeading } from '../../components/step-heading';
import { useApp } from '../../stores/app-store';
import { useWizard } from '../../stores/wizard-store';
import { changeLead, changeTitle } from './change-title';

export function WelcomeStep() {
  const info = useApp((s) => s.info);
  const setSection = useApp((s) => s.setSection);
  const w = useWizard(
    useShallow((s) => ({ status: s.status, plan: s.plan, picked: s.picked, busy: s.busy, error: s.error, loadWelcome: s.loadWelcome, pickPayload: s.pickPayload, chooseBundled: s.chooseBundled, next: s.goToPrechecks })),
  );
  const { status, busy, error, loadWelcome } = w;
  // main.tsx asks on start; ask here when a fresh start (another machine, start over) left nothing.
  // Not again after a failed reading: that is shown with its remedy, not retried in a loop.
  useEffect(() => {
    if (!status && !busy && !error) void loadWelcome();
  }, [status, busy, error, loadWelcome]);

  const picked = w.picked;
  const bundled = info?.bundled ?? null;
  const upToDate = w.plan?.change?.kind === 'up-to-date';
  const nothingToInstall = !picked?.payload && !bundled;
  return (
    <section className="screen" aria-labelledby="welcome-title">
      <StepHeading id="welcome-title">{changeTitle(w.plan)}</StepHeading>
      <p className="lead" data-testid="welcome-lead">
        {changeLead(w.plan)}
      </p>

      <div className="columns">
        <section className="panel" aria-labelledby="will-install">
          <h3 id="will-install">{upToDate ? 'Available kernel' : 'What will be installed'}</h3>
          {picked ? (
            picked.payload ? (
              <PayloadCard payload={picked.payload} source={`The file you chose: ${picked.name}`} storeWsl={status?.status?.flavour === 'store'} />
            ) : (
              picked.error && (
                <ProblemBox problem={{ code: picked.error.code, title: ERRORS[picked.error.code].title, message: picked.error.message, remedy: ERRORS[picked.error.code].remedy }} />
              )
            )
          ) : bundled ? (
            <PayloadCard payload={bundled} source="Comes with this app" storeWsl={status?.status?.flavour === 'store'} />
          ) : (
            info?.bundledError && (
              <ProblemBox
                problem={{ code: info.bundledError.code, title: 'No kernel comes with this app', message: info.bundledError.message, remedy: 'Choose a kernel file to install.' }}
                tone="warning"
              />
            )
          )}
          <FileChoice onPick={() => w.pickPayload()} disabled={w.busy} picked={picked !== null && bundled !== null} onUseBundled={w.chooseBundled} />
        </section>

        <section className="panel" aria-labelledby="installed-now">
          <h3 id="installed-now">Installed now</h3>
          {w.status?.status ? <SlotsSummary status={w.status.status} /> : <p className="muted">{w.busy ? 'Reading…' : 'Unknown.'}</p>}
          {w.status?.status?.flavour === 'store' && (
            <p className="muted" data-testid="welcome-flavour">
              WSL {w.status.status?.wslVersion ?? ''} from the Microsoft Store: {w.status.status?.boot?.reason ?? 'it boots its own kernel.'}
            </p>
          )}
        </section>
      </div>

      {w.error && <ProblemBox problem={w.error} live />}
      {w.error && !status && (
        <div className="actions actions-inline">
          <button type="button" onClick={() => void loadWelcome()} disabled={busy}>
            Try again
          </button>
        </div>
      )}
      <FooterBar
        secondary={
          upToDate ? (
            <button type="button" onClick={() => setSection('settings')}>
              Open settings
            </button>
          ) : undefined
        }
        primary={
          upToDate ? (
            <CloseButton label="Close" />
          ) : (
            <button type="button" className="primary" onClick={() => void w.next()} disabled={w.busy || nothingToInstall || (picked !== null && !picked.payload)}>
              Next
            </button>
          )
        }
      />
    </section>
  );
}
