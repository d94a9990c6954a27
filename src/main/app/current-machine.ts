/**
 * The machine a UI host works on now. Choosing another sandbox replaces it, through the same
 * `openMachine` the host started with (so the new machine is recovered before it is shown), and a
 * refused folder leaves the current machine in place.
 */
import type { MachineInfo } from '../../shared/ipc';
import type { Engine } from '../engine';
import type { HandlerDeps } from './handlers';
import { machineInfo } from './handlers';

export function currentMachine(first: Engine, open: (dir: string) => Promise<Engine>): Pick<HandlerDeps, 'getEngine' | 'setMachine'> {
  let engine = first;
  return {
    getEngine: () => engine,
    async setMachine(dir: string): Promise<MachineInfo> {
      engine = await open(dir);
      return machineInfo(engine);
    },
  };
}
