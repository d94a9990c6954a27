// Times one engine install, in-process: bench-install.mts SANDBOX PAYLOAD (prints ms).
import { Engine } from '../src/main/engine/engine';
import { openSandbox } from '../src/main/engine/sandbox/sandbox-machine';

const [dir, payload] = process.argv.slice(2);
const engine = new Engine(await openSandbox(dir!));
await engine.status();
const t = performance.now();
const r = await engine.install({ payload: payload! });
const ms = performance.now() - t;
if (!r.ok) throw new Error(r.message);
console.log(JSON.stringify({ ms }));
