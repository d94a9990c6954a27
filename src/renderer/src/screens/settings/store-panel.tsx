/**
 * Store WSL (docs/design.md §11): which kernel WSL boots, in one sentence, and "Use WSL's own kernel
 * again", which puts the user's .wslconfig back as it was before the tool's first install.
 */
import { useSettings } from '../../stores/settings-store';
import { ConfirmAction } from './confirm-action';

export function StorePanel() {
  const status = useSettings((x) => x.status?.status ?? null);
  if (!status || status.flavour !== 'store') return null;
  const own = status.defaultKernel?.kernel;
  const ownVersion = own?.present && own.version ? `kernel ${own.version}` : 'its own kernel';
  // Offered while any .wslconfig names the tool's kernel, even where WSL ignores that line (policy,
  // safe mode): putting the file back is what the user asks for, as `use-default` does.
  const named = (status.storeSlots?.users.length ?? 0) > 0 || Boolean(status.boot?.toolOwned);
  return (
    <section className="panel" aria-labelledby="store-title" data-testid="store-panel">
      <h3 id="store-title">WSL {status.wslVersion ?? ''} from the Microsoft Store</h3>
      <p data-testid="store-boot">{status.boot?.reason ?? 'WSL boots its own kernel.'}</p>
      <ConfirmAction
        action="use-default"
        id="use-default"
        label="Use WSL's own kernel again…"
        title={`Use WSL's own ${ownVersion} again?`}
        confirmLabel={`Use WSL's own ${ownVersion}`}
        busyLabel="Switching…"
        why={named ? null : { message: 'WSL does not boot a kernel of this app now.' }}
      >
        <p>Your .wslconfig is put back as it was before this app installed a kernel. The kernels this app keeps stay, so you can switch back later.</p>
      </ConfirmAction>
    </section>
  );
}
