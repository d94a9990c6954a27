/**
 * The one banner for a machine where WSL cannot start, shown above every screen: the engine's
 * plain sentence and the button that leads to the fix (Repair, or Install when nothing is
 * installed yet). On the screen that is the fix, it says so instead of linking to itself.
 */
import { useApp } from '../stores/app-store';
import { useHealth } from '../stores/health-store';

export function HealthBanner() {
  const health = useHealth((s) => s.health);
  const section = useApp((s) => s.section);
  const setSection = useApp((s) => s.setSection);
  if (!health || health.state === 'ok' || !health.action) return null;
  const target = health.action;
  const label = target === 'repair' ? 'Repair' : 'Install a kernel';
  const here = section === target;
  return (
    <div className={`banner banner-${health.state}`} role="status" data-testid="health-banner" data-state={health.state} data-code={health.code ?? ''}>
      <span className="banner-icon" aria-hidden="true">
        {health.state === 'no-kernel' ? 'i' : '!'}
      </span>
      <p className="banner-text">{health.message}</p>
      {here ? (
        <span className="banner-here">{target === 'repair' ? 'The steps below fix it.' : 'This wizard installs one.'}</span>
      ) : (
        <button type="button" className="banner-action" onClick={() => setSection(target)}>
          {label}
        </button>
      )}
    </div>
  );
}
