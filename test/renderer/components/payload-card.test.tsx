// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PayloadCard } from '../../../src/renderer/src/components/payload-card';
import type { PayloadInfo } from '../../../src/shared/types';

afterEach(() => cleanup());

const base: PayloadInfo = { path: '/x/kernel', version: '6.6.87.2', release: '6.6.87.2-microsoft-standard-WSL2', arch: 'x64', sha256: 'ab'.repeat(32), size: 15_000_000, demo: false };

describe('payload card', () => {
  it('a plain kernel file shows no package and no modules disk', () => {
    render(<PayloadCard payload={base} source="The file you chose: kernel" />);
    expect(screen.queryByTestId('payload-package')).toBeNull();
    expect(screen.queryByTestId('payload-modules')).toBeNull();
  });

  it("a WSL 2.x MSI inside a cabinet: WSL's version, the entry, and the verified modules disk", () => {
    const payload: PayloadInfo = {
      ...base,
      source: { kind: 'cab', path: '/d/update.cab', package: 'wsl-msi', wslVersion: '2.4.13.0', entry: 'wsl.2.4.13.0.x64.msi' },
      modules: { path: '/s/m.tmp', size: 3 * 1024 * 1024, sha256: 'cd'.repeat(32), format: 'vhd' },
    };
    render(<PayloadCard payload={payload} source="The file you chose: update.cab" />);
    expect(screen.getByTestId('payload-package').textContent).toBe('The kernel of WSL 2.4.13.0, read from its installer package (in the cabinet, as wsl.2.4.13.0.x64.msi)');
    expect(screen.getByTestId('payload-modules').textContent).toMatch(/^VHD, 3(\.0)? MiB \(verified; not used: this WSL attaches no modules disk\)$/);
    cleanup();
    render(<PayloadCard payload={payload} source="The file you chose: update.cab" storeWsl />);
    expect(screen.getByTestId('payload-modules').textContent).toMatch(/\(verified; installed with the kernel, and moves with it\)$/);
  });

  it('the slot picture on store WSL says which slot kernel carries its modules disk', async () => {
    const { SlotsPicture } = await import('../../../src/renderer/src/components/slots-picture');
    const slot = (version: string) => ({ present: true as const, valid: true, version, release: `${version}-microsoft-standard-WSL2`, arch: 'x64' as const, sha256: 'ee'.repeat(32), size: 1 << 20 });
    const status = {
      flavour: 'store',
      kernel: { present: false },
      rollbackKernel: { present: false },
      rollbackActive: false,
      effective: null,
      badVersions: [],
      boot: { toolOwned: true, reason: 'x', kernel: { present: true } },
      storeSlots: { kernel: slot('6.6.50.1'), rollbackKernel: slot('6.6.40.1'), rollbackActive: false, bootPath: 'C:\\b', users: ['alice'], badReleases: [], modules: { kernel: 'dd'.repeat(32), rollbackKernel: null }, modulesBootPath: 'C:\\m' },
    } as unknown as Parameters<typeof SlotsPicture>[0]['status'];
    const { container } = render(<SlotsPicture status={status} />);
    expect(container.querySelector('[data-slot="kernel"] .slot-modules')?.textContent).toMatch(/modules disk/);
    expect(container.querySelector('[data-slot="kernel.rollback"] .slot-modules')).toBeNull();
  });
});
