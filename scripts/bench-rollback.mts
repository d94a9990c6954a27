// Times the engine's rollback and undo on a sandbox: bench-rollback.mts DIR ROUNDS (median ms, JSON).
import { Engine } from '../src/main/engine/engine';
import { openSandbox } from '../src/main/engine/sandbox/sandbox-machine';

const [dir, rounds] = process.argv.slice(2);
const engine = new Engine(await openSandbox(dir!));
await engine.status();
// One warm-up round: the first call of a process pays for compiling the engine.
await engine.rollback();
await engine.undoRollback();
const times = { rollback: [] as number[], undo: [] as number[] };
for (let i = 0; i < Number(rounds); i++) {
  let t = performance.now();
  let r = await engine.rollback();
  times.rollback.push(performance.now() - t);
  if (!r.ok) throw new Error(r.message);
  t = performance.now();
  r = await engine.undoRollback();
  times.undo.push(performance.now() - t);
  if (!r.ok) throw new Error(r.message);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ rollback: median(times.rollback), undo: median(times.undo) }));
