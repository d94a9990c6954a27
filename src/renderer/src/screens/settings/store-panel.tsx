/**
 * Store WSL (docs/design.md §11): which kernel WSL boots, in one sentence, and "Use WSL's own kernel
 * again", which puts the user's .wslconfig back as it was before the tool's first install.
 */
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { InlineConfirm } from '../../components/inline-confirm';
import { useSettings } from '../../stores/settings-store';

export function StorePanel() {
  const s = useSettings(useShallow((x) => ({ raw: x.status?.status ?? null, confirming: x.confirming, busy: x.busy, ask: x.ask, dismiss: x.dismiss, confirm: x.confirm })));
  const trigger = useRef<HTMLButtonElement>(null);
  const status = s.raw;
  if (!status || status.flavour !== 'store') return null;
  const own = status.defaultKernel?.kernel;
  const ownVersion = own?.present && own.version ? `kernel ${own.version}` : 'its own kernel';
  const toolBoots = Boolean(status.boot?.toolOwned);
  const dismiss = () => {
    s.dismiss();
    requestAnimationFrame(() => trigger.current?.focus());
  };
  return (
    <section className="panel" aria-labelledby="store-title" data-testid="store-panel">
      <h3 id="store-title">WSL {status.wslVersion ?? ''} from the Microsoft Store</h3>
      <p data-testid="store-boot">{status.boot?.reason ?? 'WSL boots its own kernel.'}</p>
      {s.confirming === 'use-default' ? (
        <InlineConfirm id="use-default-confirm" title={`Use WSL's own ${ownVersion} again?`} onDismiss={dismiss}>
          <p>Your .wslconfig is put back as it was before this app installed a kernel. The kernels this app keeps stay, so you can switch back later.</p>
          <div className="actions actions-inline">
            <button type="button" className="primary" onClick={() => void s.confirm()} disabled={s.busy}>
              {s.busy ? 'Switching…' : `Use WSL's own ${ownVersion}`}
            </button>
            <button type="button" onClick={dismiss} disabled={s.busy}>
              Cancel
            </button>
          </div>
        </InlineConfirm>
      ) : (
        <div className="actions actions-inline">
          <button ref={trigger} type="button" onClick={() => s.ask('use-default')} disabled={s.busy || !toolBoots} aria-describedby={toolBoots ? undefined : 'use-default-why'}>
            Use WSL&apos;s own kernel again…
          </button>
          {!toolBoots && (
            <p className="reason" id="use-default-why">
              WSL does not boot a kernel of this app now.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
