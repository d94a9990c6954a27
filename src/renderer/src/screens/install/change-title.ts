/** The first screen's title and lead, in the words installers use: install, update, up to date, downgrade. */
import type { CommandResult } from '../../../../shared/types';

export function changeTitle(plan: CommandResult | null): string {
  const c = plan?.change;
  if (!c) return 'Install the WSL 2 Linux kernel';
  if (c.kind === 'update') return `Update ${c.from ?? 'the kernel'} → ${c.to}`;
  if (c.kind === 'up-to-date') return `Up to date: kernel ${c.to}`;
  if (c.kind === 'downgrade') return `Downgrade ${c.from ?? ''} → ${c.to} (not recommended)`.replace('  ', ' ');
  if (c.kind === 'reinstall') return `Reinstall kernel ${c.to}`;
  return `Install kernel ${c.to}`;
}

/** The verb of the primary button that runs the install. */
export function changeVerb(plan: CommandResult | null): string {
  const kind = plan?.change?.kind;
  if (kind === 'update') return 'Update now';
  if (kind === 'downgrade') return 'Downgrade now';
  if (kind === 'reinstall') return 'Reinstall now';
  return 'Install now';
}

/** One plain sentence of what happens to the kernels the user has. */
export function changeLead(plan: CommandResult | null): string {
  const c = plan?.change;
  if (!c) return 'This wizard checks this computer, shows what will change, then installs the kernel WSL 2 needs to start Linux.';
  if (c.kind === 'up-to-date') return `WSL already uses kernel ${c.to}. There is nothing to install.`;
  const steps = plan?.plan ?? [];
  const kept = steps.find((s) => s.effect === 'keep');
  const removed = steps.filter((s) => s.effect === 'remove');
  const base =
    c.kind === 'install'
      ? `This installs kernel ${c.to} so WSL 2 can start Linux.`
      : c.kind === 'downgrade'
        ? `This replaces kernel ${c.from} with the older kernel ${c.to}.`
        : `This replaces kernel ${c.from} with kernel ${c.to}.`;
  const keep = kept ? ` ${kept.title}.` : '';
  const drop = removed.length ? ` ${removed.map((r) => r.title).join('. ')}.` : '';
  return `${base}${keep}${drop} The next step checks this computer first; nothing changes before you confirm.`;
}
