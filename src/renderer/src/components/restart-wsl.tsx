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
  if (running.length === 0) {
    // Nothing runs the old kernel: the next distribution that starts uses the new one, no restart needed.
    return (
      <section className="panel panel-success" aria-labelledby="restart-title" data-testid="no-restart-needed">
        <h3 id="restart-title">Ready to use</h3>
        <p>No Linux distribution is running, so the next one you start uses the new kernel.</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="restart-title">
      <h3 id="restart-title">Restart WSL to use it</h3>
      <p>These distributions keep running the previous kernel until WSL restarts:</p>
      <ul className="running" aria-label="Running now">
        {running.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <p className="warning" id="restart-warning">
        <strong>Restarting WSL stops all of them</strong>, and every other WSL 1 and WSL 2 instance. Save your work in them first.
      </p>
      <button type="button" onClick={onRestart} disabled={busy} aria-describedby="restart-warning">
        {busy ? 'Restarting WSL…' : 'Restart WSL now'}
      </button>
    </section>
  );
}
