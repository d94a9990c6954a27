/** diagnose / repair commands (DESIGN §5 repair, §7). */
import type { CommandResult } from '../../../shared/types';
import type { Engine, RunOptions } from '../engine';

export interface DiagnoseOptions {
  bundle?: string;
}

export interface RepairOptions extends RunOptions {
  fix?: string;
  fromMsi?: string;
}

export async function diagnoseCommand(engine: Engine, _opts: DiagnoseOptions): Promise<CommandResult> {
  const r = await engine.status();
  return { ...r, findings: [] };
}

export async function repairCommand(engine: Engine, _opts: RepairOptions): Promise<CommandResult> {
  const r = await engine.status();
  return { ...r, findings: [], applied: [] };
}
