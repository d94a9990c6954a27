/**
 * The Windows registry adapters on a real (Wine) registry: both the in-process binding and reg.exe
 * round-trip every type the tool reads or writes, non-ASCII text included, exactly; and the CLI
 * reads such values right through each of them.
 */
import { build } from 'esbuild';
import * as fsp from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEYS, TOOLS, installStandIns, regExportKey, regExportValue, regImport, resetMachine } from './support/machine';
import { ROUND_TRIP, encodeValue, type ProbeValue } from './support/registry-values';
import { drive, runWin, wineEnv, wslk, zPath } from './support/wine';
import { winKernel } from './support/kernels';

const ROOT = resolve(__dirname, '..', '..');
/** Inside the project, so the bundle finds node_modules/native-reg as the CLI bundle does. */
const PROBE = join(ROOT, 'out', 'windows-suite', 'registry-probe.cjs');
const ADAPTERS = ['native', 'reg-exe'] as const;

interface ProbeResult {
  read: Record<string, ProbeValue | null | { error: string }>;
  keyExists: boolean;
  missingKey: boolean;
  afterDelete: unknown;
  absent: unknown;
  ms: number;
  fatal?: string;
}

beforeAll(async () => {
  await build({
    entryPoints: [join(ROOT, 'test', 'windows', 'support', 'registry-probe.ts')],
    outfile: PROBE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['native-reg'],
    logLevel: 'warning',
  });
  await installStandIns();
  await resetMachine();
});

async function probe(adapter: (typeof ADAPTERS)[number]): Promise<ProbeResult> {
  const values = join(drive('wslk-stand-in'), `values-${adapter}.json`);
  await fsp.writeFile(values, JSON.stringify(ROUND_TRIP));
  const r = await runWin(wineEnv().node, [zPath(PROBE), adapter, `${KEYS.suite}\\${adapter}`, zPath(values)]);
  const out = JSON.parse(r.stdout.toString('utf8')) as ProbeResult;
  if (out.fatal) throw new Error(out.fatal);
  return out;
}

describe.each(ADAPTERS)('the %s registry adapter under Wine', (adapter) => {
  let result: ProbeResult;
  beforeAll(async () => {
    result = await probe(adapter);
  });

  it.each(ROUND_TRIP.map((v) => [v.name || '(default)', v.name, v.value] as const))('round-trips %s exactly', (_label, name, value) => {
    expect(result.read[name]).toEqual(value);
  });

  it('stores exactly what it was given (read back independently, through reg export)', async () => {
    // The probe deleted the first value at its end; every other one is as written.
    const stored = await regExportKey(`${KEYS.suite}\\${adapter}`);
    for (const v of ROUND_TRIP.slice(1)) {
      const value = stored(v.name);
      expect(value && encodeValue(value), v.name).toEqual(v.value);
    }
  });

  it('tells existing keys from missing ones, deletes values, and reads absent values as null', () => {
    expect(result).toMatchObject({ keyExists: true, missingKey: false, afterDelete: null, absent: null });
  });
});

describe.each(ADAPTERS)('the CLI through the %s adapter', (adapter) => {
  const env: Record<string, string> = adapter === 'reg-exe' ? { WSLK_REGISTRY: 'reg.exe' } : {};

  it('reads a REG_QWORD RollbackKernel as set', async () => {
    await resetMachine();
    const k = await winKernel('5.15.153.1', (1 << 20) + 64);
    await fsp.copyFile(k.path, drive(TOOLS, 'kernel'));
    await fsp.copyFile(k.path, drive(TOOLS, 'kernel.rollback'));
    await regImport(`Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\${KEYS.lxss}]\r\n"RollbackKernel"=hex(b):01,00,00,00,00,00,00,00\r\n`);
    const r = await wslk(['status'], env);
    expect(r.json).toMatchObject({ ok: true, status: { rollbackActive: true, effective: 'kernel.rollback' } });
  });

  it('reads a non-ASCII REG_SZ exactly (the product name in a diagnose bundle)', async () => {
    await resetMachine();
    const product = 'Windows 10 Éducation — 日本語版 ☃';
    await regImport(`Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n"ProductName"="${product}"\r\n`);
    const bundle = drive('wslk-stand-in', `bundle-${adapter}.json`);
    const r = await wslk(['diagnose', '--bundle', `C:\\wslk-stand-in\\bundle-${adapter}.json`], env);
    expect(r.json.ok).toBe(true);
    const saved = JSON.parse(await fsp.readFile(bundle, 'utf8')) as { machine: { productName: string } };
    expect(saved.machine.productName).toBe(product);
  });

  // Through reg.exe this story takes minutes under Wine, and its writes are covered by the probe.
  if (adapter !== 'native') return;
  it('writes RollbackKernel as REG_DWORD 1 and deletes it again', async () => {
    await resetMachine();
    await wslk(['install', '--payload', (await winKernel('5.10.102.1', (1 << 20) + 128)).winPath], env);
    await wslk(['install', '--payload', (await winKernel('5.15.153.1', (1 << 20) + 256)).winPath], env);
    expect((await wslk(['rollback'], env)).json.ok).toBe(true);
    expect(await regExportValue(KEYS.lxss, 'RollbackKernel')).toEqual({ type: 'REG_DWORD', data: 1 });
    expect((await wslk(['undo-rollback'], env)).json.ok).toBe(true);
    expect(await regExportValue(KEYS.lxss, 'RollbackKernel')).toBeNull();
    expect(await regExportValue(KEYS.detection, 'KernelVersion')).toEqual({ type: 'REG_SZ', data: '5.15.153.1' });
  });
});

describe('status under Wine, by registry adapter', () => {
  it('reports the time of `status` through each adapter', async () => {
    await resetMachine();
    const times: Record<string, number[]> = { 'node -e 0': [] };
    for (let i = 0; i < 3; i++) times['node -e 0']!.push((await runWin(wineEnv().node, ['-e', '0'])).ms);
    for (const adapter of ADAPTERS) {
      const env: Record<string, string> = adapter === 'reg-exe' ? { WSLK_REGISTRY: 'reg.exe' } : {};
      const list: number[] = (times[adapter] = []);
      for (let i = 0; i < 3; i++) {
        const r = await wslk(['status'], env);
        expect(r.json.ok).toBe(true);
        list.push(r.ms);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const figures = Object.entries(times).map(([what, xs]) => `${what} ${median(xs)} ms`);
    console.log(`status --json under Wine, median of 3: ${figures.join(', ')}; load average ${loadavg()[0]!.toFixed(1)}`);
  });
});
