/**
 * The WSL restart offer: WSL keeps the old kernel until it restarts. Lists the running
 * distributions first and warns that a shutdown stops every WSL 1 and WSL 2 instance.
 */
import type { CommandResult } from '../../../shared/types';
import { listNames } from '../format';

export function RestartWsl({
  running,
  shutdown,
  busy,
  onRestart,
}: {
  running: string[];
  shutdown: CommandResult | null;
  busy: boolean;
  onRestart(): void;
}) {
  if (shutdown?.ok) {
    const stopped = shutdown.shutdown?.stopped ?? [];
    return (
      <section className="panel panel-success" aria-labelledby="restart-done-title" role="status">
        <h3 id="restart-done-title">WSL was restarted</h3>
        <p>{stopped.length ? `Stopped ${listNames(stopped)}.` : 'No distribution was running.'} WSL uses the new kernel the next time a distribution starts.</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="restart-title">
      <h3 id="restart-title">Restart WSL to use it</h3>
      <p>WSL keeps running the previous kernel until it restarts.</p>
      {running.length ? (
        <>
          <p id="running-label">Running now:</p>
          <ul className="running" aria-labelledby="running-label">
            {running.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>No distribution is running now.</p>
      )}
      <p className="warning" id="restart-warning">
        <strong>Restarting WSL stops every WSL 1 and WSL 2 instance</strong> (it runs <code>wsl --shutdown</code>). Save your work in
        them first.
      </p>
      <button type="button" className="primary" onClick={onRestart} disabled={busy} aria-describedby="restart-warning">
        {busy ? 'Restarting WSL…' : 'Restart WSL now'}
      </button>
    </section>
  );
}
