/** The app shell: header with the machine and the navigation, the health banner, then the chosen section. */
import { useEffect } from 'react';
import { call } from './api';
import { useApp } from './stores/app-store';
import { FooterBar } from './components/footer-bar';
import { HealthBanner } from './components/health-banner';
import { Nav } from './components/nav';
import { ProblemBox } from './components/problem-box';
import { SandboxBadge } from './components/sandbox-badge';
import { ElevationScreen } from './screens/elevation-screen';
import { InstallWizard } from './screens/install/install-wizard';
import { RepairWizard } from './screens/repair/repair-wizard';
import { SettingsScreen } from './screens/settings/settings-screen';

function Section() {
  const section = useApp((s) => s.section);
  const machineVersion = useApp((s) => s.machineVersion);
  // Keyed by the machine, so a new sandbox starts every screen afresh.
  if (section === 'settings') return <SettingsScreen key={machineVersion} />;
  if (section === 'repair') return <RepairWizard key={machineVersion} />;
  return <InstallWizard key={machineVersion} />;
}

const CONTROLS = 'button, a, input, select, textarea, summary, [role="radio"], [contenteditable="true"]';

/** Enter outside any control presses the screen's primary button, as in installers people know. */
function useEnterForPrimary(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest(CONTROLS)) return;
      const primary = document.querySelector<HTMLButtonElement>('.footer-bar .footer-primary button.primary:not(:disabled)');
      if (!primary) return;
      e.preventDefault();
      primary.click();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  const info = useApp((s) => s.info);
  const error = useApp((s) => s.error);
  const loading = useApp((s) => s.loading);
  const dismissed = useApp((s) => s.elevationDismissed);
  const load = useApp((s) => s.load);
  const elevate = info?.needsElevation && !dismissed;
  const root = info?.machine.root;
  const machineVersion = useApp((s) => s.machineVersion);
  useEnterForPrimary();
  // Every screen shows the health banner from its first paint: ask for the status once per machine
  // (api.ts hands the verdict every result carries to the banner). For the first machine main.tsx
  // has asked already, together with the machine itself.
  useEffect(() => {
    if (info && machineVersion > 0) void call('status', {}).catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per machine, not per info refresh
  }, [root, machineVersion, info !== null]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <img className="brand-mark" src="./favicon.svg" alt="" width="28" height="28" />
          <h1>WSL Kernel Setup</h1>
        </div>
        {info && !elevate && <Nav />}
        {info?.machine.kind === 'sandbox' && <SandboxBadge machine={info.machine} />}
      </header>
      {info && !elevate && <HealthBanner />}
      <main className="app-main">
        {error ? (
          <section className="screen" aria-labelledby="load-error">
            <h2 id="load-error">The app could not start</h2>
            <ProblemBox problem={error} live />
            <FooterBar
              primary={
                <button type="button" className="primary" onClick={() => void load()}>
                  Try again
                </button>
              }
            />
          </section>
        ) : !info ? (
          <p className="muted" aria-busy={loading}>
            Loading…
          </p>
        ) : elevate ? (
          <ElevationScreen />
        ) : (
          <Section />
        )}
      </main>
    </div>
  );
}
