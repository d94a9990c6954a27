// Writes a synthetic kernel for the benchmark: bench-kernel.mts PATH VERSION SIZE
import { writeBzImage } from '../src/main/engine/sandbox/kernel-builder';

const [path, version, size] = process.argv.slice(2);
await writeBzImage(path!, { release: `${version}-microsoft-standard-WSL2`, size: Number(size) });
