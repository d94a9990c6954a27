/**
 * Random kills on store WSL (docs/design.md §11): real CLI processes on store sandboxes walk
 * through random installs (kernels with and without their modules disks), rollbacks, undos,
 * "use WSL's own kernel again" and status, SIGKILLed at random instants after they take the
 * operation lock. Every run first recovers what the previous kill left, so kills also land
 * inside recovery.
 *
 * Checked after every run, killed or not (invariant W and the user's file):
 * - the user's `.wslconfig`, read as WSL reads it, names an existing, complete kernel (or none)
 *   and an existing, complete modules disk (or none);
 * - every line of it the tool does not own is still there, byte for byte;
 * and after every `status` (recovery) that completes:
 * - when WSL boots the tool's path, it boots the slot the store flag selects, with that kernel's disk;
 * - the fallback slot never holds a kernel rolled back from (each version has one release here);
 * and after every other command that completes: no temp file or link left by a killed run.
 *
 * `--kills N` sets the number of kill instants (default 120; 2000 with --full), `--seed S` replays.
 */
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import { buildCli, pool, runCli } from '../helpers/cli';
import { makeKernel } from '../helpers/kernels';
import { scratch } from '../helpers/paths';
import { progress, rng, runSuite } from '../helpers/report';
import { fixedVhd } from '../helpers/wsl-packages';
import { bootProblems, wslconfigProblems } from '../helpers/store-checks';

/** The user's own lines, which every state of the file must keep. */
const USER_TEXT = '# my settings\r\n[wsl2]\r\nmemory=8GB\r\nprocessors=4\r\n\r\n[experimental]\r\nsparseVhd=true\r\n';
const OWN_LINES = USER_TEXT.split('\r\n').filter((l) => l !== '' && l !== '[wsl2]');
/** Versions above the sandbox WSL's own 6.6.36.3; every other one comes with its modules disk. */
const VERSIONS = ['6.6.40.1', '6.6.50.1', '6.6.60.1', '6.6.70.1'];

/** Files a killed run may leave that a completed command must have swept. */
async function litter(dir: string): Promise<string[]> {
  const base = join(dir, 'ProgramData', 'WslKernelSetup');
  const boot = await readdir(join(base, 'boot')).catch(() => [] as string[]);
  const disks = await readdir(join(base, 'store', 'modules')).catch(() => [] as string[]);
  return [...boot.filter((n) => n !== 'kernel' && n !== 'modules.vhd').map((n) => `boot\\${n}`), ...disks.filter((n) => !/^[0-9a-f]{64}\.vhd$/.test(n)).map((n) => `store\\modules\\${n}`)];
}

runSuite('store-kills', async (args) => {
  const kills = args.numbers.kills ?? (args.full ? 2000 : 120);
  const random = rng(args.seed);
  const { dir, cleanup } = await scratch('store-kills');
  const violations: string[] = [];
  const m = { runs: 0, killInstants: 0, recoveryKills: 0, statusChecks: 0, modulesKills: 0, seed: args.seed };
  try {
    buildCli();
    // Payloads: plain kernels and folders with kernel + modules.vhd.
    const payloads: { path: string; version: string; disk: boolean }[] = [];
    for (const [i, version] of VERSIONS.entries()) {
      const k = await makeKernel(dir, version, (1 << 20) + i * 4096);
      if (i % 2 === 0) {
        const folder = join(dir, `payload-${version}`);
        await mkdir(folder);
        await copyFile(k.path, join(folder, 'kernel'));
        await writeFile(join(folder, 'modules.vhd'), fixedVhd(256 * 1024 + i * 8192));
        payloads.push({ path: folder, version, disk: true });
      } else payloads.push({ path: k.path, version, disk: false });
    }
    const lanes = ['lane-0', 'lane-1'];
    for (const lane of lanes) {
      await initSandbox(join(dir, lane), 'store-fresh');
      await writeFile(join(dir, lane, 'Users', 'alice', '.wslconfig'), USER_TEXT);
    }
    const perLane = Math.ceil(kills / lanes.length);
    await pool(lanes, 2, async (lane) => {
      const root = join(dir, lane);
      let laneKills = 0;
      let afterKill = false;
      // Milliseconds from taking the lock to exiting, per command, learned from runs not killed.
      const est: Record<string, number> = {};
      while (laneKills < perLane) {
        const r = random();
        const p = payloads[Math.floor(random() * payloads.length)]!;
        const argv =
          r < 0.5 ? ['install', '--payload', p.path] : r < 0.65 ? ['rollback'] : r < 0.8 ? ['undo-rollback'] : r < 0.87 ? ['use-default'] : ['status'];
        // Two runs in three are killed, at an instant within the time the command takes once it holds the lock.
        const key = argv[0] === 'install' ? `install-${p.disk}` : argv[0]!;
        const kill = argv[0] !== 'status' && est[key] !== undefined && random() < 0.67;
        const run = await runCli([...argv, '--machine', root, '--json'], kill ? { killAfterLockMs: Math.floor(random() * est[key]!) } : {});
        if (!run.killedByUs && run.lockAtMs !== null) est[key] = Math.max(est[key] ?? 0, run.ms - run.lockAtMs);
        m.runs++;
        const what = `${lane} run ${m.runs} (${argv.join(' ').replace(dir, '…')}${run.killedByUs ? ', killed' : ''})`;
        if (run.killedByUs) {
          laneKills++;
          m.killInstants++;
          if (afterKill) m.recoveryKills++;
          if (argv[0] === 'install' && p.disk) m.modulesKills++;
        } else if (run.signal || run.json === null) {
          violations.push(`${what}: ended with ${run.signal ?? `exit ${run.code}`} and no answer: ${run.stderr.slice(0, 300)}`);
        }
        afterKill = run.killedByUs;
        for (const v of await wslconfigProblems(root, { ownLines: OWN_LINES })) violations.push(`${what}: ${v}`);
        if (!run.killedByUs && run.json?.ok && argv[0] !== 'status') for (const f of await litter(root)) violations.push(`${what}: left behind ${f}`);
        if (!run.killedByUs && argv[0] === 'status' && run.json?.status) {
          m.statusChecks++;
          const st = run.json.status;
          const slots = st.storeSlots;
          for (const v of await bootProblems(root, st)) violations.push(`${what}: ${v}`);
          const fallback = slots?.rollbackKernel;
          if (fallback?.present && fallback.release && slots?.badReleases.includes(fallback.release)) {
            violations.push(`${what}: the fallback slot holds ${fallback.release}, a kernel rolled back from`);
          }
        }
        if (m.runs % 50 === 0) progress(`store-kills: ${m.runs} runs, ${m.killInstants}/${kills} kill instants, ${violations.length} violations`);
      }
      // The lane ends recovered: a last status, then the file checks once more.
      const last = await runCli(['status', '--machine', root, '--json']);
      if (!last.json?.ok) violations.push(`${lane}: the final status failed: ${last.json?.code} ${last.json?.message}`);
      if (!(await stat(join(root, 'Users', 'alice', '.wslconfig')).catch(() => null))) violations.push(`${lane}: .wslconfig is gone at the end`);
    });
  } finally {
    await cleanup();
  }
  return { metrics: m, violations };
});
