// Times the engine in-process for the benchmark (npm run bench), one measurement per process:
//   bench-engine.mts install SANDBOX PAYLOAD   → {"ms": …}
//   bench-engine.mts rollback SANDBOX ROUNDS   → {"rollback": median ms, "undo": median ms}
import { Engine } from '../src/main/engine/engine';
import { openSandbox } from '../src/main/engine/sandbox/sandbox-machine';

const [what, dir, arg] = process.argv.slice(2);
const engine = new Engine(await openSandbox(dir!));
await engine.status();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<{ ok: boolean; message: string }>): Promise<number> {
  const t = performance.now();
  const r = await fn();
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(r.message);
  return ms;
}

if (what === 'install') {
  console.log(JSON.stringify({ ms: await timed(() => engine.install({ payload: arg! })) }));
} else if (what === 'rollback') {
  // One warm-up round: the first call of a process pays for compiling the engine.
  await engine.rollback();
  await engine.undoRollback();
  const times = { rollback: [] as number[], undo: [] as number[] };
  for (let i = 0; i < Number(arg); i++) {
    times.rollback.push(await timed(() => engine.rollback()));
    times.undo.push(await timed(() => engine.undoRollback()));
  }
  console.log(JSON.stringify({ rollback: median(times.rollback), undo: median(times.undo) }));
} else {
  throw new Error(`unknown measurement ${what}`);
}
