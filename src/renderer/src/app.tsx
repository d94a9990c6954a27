/** The app shell: header with the machine and the navigation, then the chosen section. */
import { useApp } from './stores/app-store';
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

export function App() {
  const info = useApp((s) => s.info);
  const error = useApp((s) => s.error);
  const loading = useApp((s) => s.loading);
  const dismissed = useApp((s) => s.elevationDismissed);
  const load = useApp((s) => s.load);
  const elevate = info?.needsElevation && !dismissed;

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▲
          </span>
          <h1>WSL Kernel Setup</h1>
        </div>
        {info && !elevate && <Nav />}
        {info?.machine.kind === 'sandbox' && <SandboxBadge machine={info.machine} />}
      </header>
      <main className="app-main">
        {error ? (
          <section className="screen" aria-labelledby="load-error">
            <h2 id="load-error">The app could not start</h2>
            <ProblemBox problem={error} live />
            <div className="actions">
              <button type="button" className="primary" onClick={() => void load()}>
                Try again
              </button>
            </div>
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
      <footer className="app-footer">
        {info && (
          <span>
            Version {info.version} · {info.machine.kind === 'sandbox' ? 'Sandbox machine' : 'This Windows computer'}
          </span>
        )}
      </footer>
    </div>
  );
}
