/** Welcome: what will be installed (the bundled or a picked kernel) and what is installed now. */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PayloadCard } from '../../components/payload-card';
import { ProblemBox } from '../../components/problem-box';
import { SlotsSummary } from '../../components/slots-picture';
import { StepHeading } from '../../components/step-heading';
import { ERRORS } from '../../../../shared/errors';
import { useApp } from '../../stores/app-store';
import { useWizard } from '../../stores/wizard-store';

export function WelcomeStep() {
  const info = useApp((s) => s.info);
  const w = useWizard(
    useShallow((s) => ({ status: s.status, picked: s.picked, busy: s.busy, error: s.error, loadWelcome: s.loadWelcome, pickPayload: s.pickPayload, chooseBundled: s.chooseBundled, next: s.goToPrechecks })),
  );
  const { status, loadWelcome } = w;
  useEffect(() => {
    if (!status) void loadWelcome();
  }, [status, loadWelcome]);

  const picked = w.picked;
  const bundled = info?.bundled ?? null;
  return (
    <section className="screen" aria-labelledby="welcome-title">
      <StepHeading id="welcome-title">Install the WSL 2 Linux kernel</StepHeading>
      <p className="lead">This wizard checks this computer, shows exactly what will change, then installs the kernel and keeps the current one as a fallback.</p>

      <div className="columns">
        <section className="panel" aria-labelledby="will-install">
          <h3 id="will-install">What will be installed</h3>
          {picked ? (
            picked.payload ? (
              <PayloadCard payload={picked.payload} source={`The file you chose: ${picked.name}`} />
            ) : (
              picked.error && (
                <ProblemBox
                  problem={{ code: picked.error.code, title: ERRORS[picked.error.code].title, message: picked.error.message, remedy: ERRORS[picked.error.code].remedy }}
                />
              )
            )
          ) : bundled ? (
            <PayloadCard payload={bundled} source="Bundled with this app" />
          ) : (
            info?.bundledError && (
              <ProblemBox
                problem={{ code: info.bundledError.code, title: 'No kernel is bundled', message: info.bundledError.message, remedy: 'Choose a kernel file to install.' }}
                tone="warning"
              />
            )
          )}
          <div className="actions actions-inline">
            <button type="button" onClick={() => void w.pickPayload()} disabled={w.busy}>
              Choose another kernel file…
            </button>
            {picked && bundled && (
              <button type="button" className="link-button" onClick={w.chooseBundled}>
                Use the bundled kernel
              </button>
            )}
          </div>
        </section>

        <section className="panel" aria-labelledby="installed-now">
          <h3 id="installed-now">Installed now</h3>
          {w.status?.status ? <SlotsSummary status={w.status.status} /> : <p className="muted">{w.busy ? 'Reading…' : 'Unknown.'}</p>}
        </section>
      </div>

      {w.error && <ProblemBox problem={w.error} live />}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void w.next()} disabled={w.busy}>
          Next: check this computer
        </button>
      </div>
    </section>
  );
}
