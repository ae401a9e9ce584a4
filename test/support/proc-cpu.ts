import { readFileSync } from 'node:fs';

/** /proc counts CPU time in USER_HZ ticks, 100 a second on Linux (what getconf CLK_TCK answers). */
const CLOCK_TICKS = 100;

function statCpu(file: string, children: boolean): number {
  let stat: string;
  try {
    stat = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  // Fields after the command name (which may hold spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (i: number) => Number(fields[i - 3]);
  return (ticks(14) + ticks(15) + (children ? ticks(16) + ticks(17) : 0)) / CLOCK_TICKS;
}

/** utime + stime of a process, all its threads (and, with `children`, reaped children's), in seconds; 0 once it is gone. */
export function processCpuSeconds(pid: number, children = false): number {
  return statCpu(`/proc/${pid}/stat`, children);
}

/** The same for a process's main thread alone (a Node process's JavaScript thread); 0 once it is gone. */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpu(`/proc/${pid}/task/${pid}/stat`, false);
}
