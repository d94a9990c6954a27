/**
 * The daily automatic update (docs/design.md §12): a Scheduled Task that runs `update --auto` as SYSTEM,
 * with a random delay so a fleet does not hit the feed at the same second.
 */
import type { ScheduledTaskInfo } from '../machine/machine';

export const TASK_NAME = '\\WslKernelSetup\\AutomaticKernelUpdate';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Quote one argument for a Windows command line (CommandLineToArgvW rules). */
export function quoteArg(a: string): string {
  if (a && !/[\s"]/.test(a)) return a;
  return `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

export function autoUpdateTask(command: string, args: string[]): ScheduledTaskInfo {
  return { name: TASK_NAME, command, arguments: [...args, 'update', '--auto'].map(quoteArg).join(' ') };
}

/** Task Scheduler XML (schema 1.2): daily at 03:00 plus up to 4 h random delay, run as SYSTEM. */
export function taskXml(task: ScheduledTaskInfo, start = new Date()): string {
  const day = start.toISOString().slice(0, 10);
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>WSL Kernel Setup: installs signed WSL kernel updates from the configured feed.</Description>
    <URI>${escapeXml(task.name)}</URI>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>${day}T03:00:00</StartBoundary>
      <RandomDelay>PT4H</RandomDelay>
      <ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>S-1-5-18</UserId>
      <RunLevel>HighestAvailable</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${escapeXml(task.command)}</Command>
      <Arguments>${escapeXml(task.arguments)}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}
