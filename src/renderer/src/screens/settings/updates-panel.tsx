/**
 * Updates: the feed the kernels come from, the channel, automatic updates and the hold (each shown
 * as managed when a machine policy sets it), Check now, and the offered kernel with its notes.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ProblemBox } from '../../components/problem-box';
import { useUpdates } from '../../stores/updates-store';

const MANAGED = 'Set by your organization';

export function UpdatesPanel() {
  const u = useUpdates(useShallow((x) => ({ info: x.info, busy: x.busy, problem: x.problem, result: x.result, load: x.load, check: x.check, install: x.install, set: x.set })));
  const { load } = u;
  useEffect(() => {
    void load();
  }, [load]);
  const info = u.info;
  if (!info) return null;
  const offer = u.result?.update?.offer ?? null;
  const installedNow = u.result?.ok && u.result.payload;
  return (
    <section className="panel" aria-labelledby="updates-title" data-panel="updates">
      <h3 id="updates-title">Updates</h3>
      <dl className="facts">
        <dt>Feed</dt>
        <dd data-testid="updates-feed">
          {info.feed ?? 'None set'}
          {info.managed.feedUrl && <span className="managed"> ({MANAGED})</span>}
        </dd>
        <dt>Last check</dt>
        <dd>{info.checkedAt ? new Date(info.checkedAt).toLocaleString() : 'Never'}</dd>
        <dt>Held at</dt>
        <dd>{info.hold ?? 'Not held'}</dd>
      </dl>
      <div className="actions actions-inline">
        <label>
          Channel{' '}
          <select value={info.channel} disabled={info.managed.channel || u.busy !== null} onChange={(e) => void u.set({ channel: e.target.value as 'stable' | 'preview' })} aria-describedby={info.managed.channel ? 'updates-managed' : undefined}>
            <option value="stable">Stable</option>
            <option value="preview">Preview</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={info.autoUpdate} disabled={info.managed.autoUpdate || u.busy !== null} onChange={(e) => void u.set({ autoUpdate: e.target.checked })} /> Install updates automatically (daily)
        </label>
        <label>
          <input
            type="checkbox"
            checked={info.hold !== null}
            disabled={info.managed.hold || u.busy !== null || (info.hold === null && !info.installed)}
            onChange={(e) => void u.set({ hold: e.target.checked ? info.installed : null })}
          />{' '}
          Hold at the installed kernel{info.installed ? ` (${info.installed})` : ''}
        </label>
        {(info.managed.channel || info.managed.autoUpdate || info.managed.hold) && (
          <p className="reason" id="updates-managed">
            Some of these settings are managed by your organization.
          </p>
        )}
      </div>
      <div className="actions actions-inline">
        <button type="button" onClick={() => void u.check()} disabled={u.busy !== null || !info.feed}>
          {u.busy === 'check' ? 'Checking…' : 'Check now'}
        </button>
      </div>
      {u.problem && <ProblemBox problem={u.problem} live />}
      {u.result?.ok && !installedNow && (
        <div role="status" data-testid="updates-result">
          {offer ? (
            <>
              <p>
                Kernel {offer.version} is available ({offer.channel}, {(offer.size / 1048576).toFixed(1)} MiB).
              </p>
              {offer.notes && <p className="notes">{offer.notes}</p>}
              <button type="button" className="primary" onClick={() => void u.install()} disabled={u.busy !== null}>
                {u.busy === 'install' ? 'Installing…' : `Install update ${offer.version}`}
              </button>
            </>
          ) : (
            <p>{u.result.message}</p>
          )}
        </div>
      )}
      {installedNow && (
        <p className="notice notice-success" role="status">
          {u.result!.message}
        </p>
      )}
    </section>
  );
}
