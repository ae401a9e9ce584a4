import { readFileSync } from 'node:fs';

/** /proc counts CPU time in USER_HZ ticks, 100 a second on Linux (what getconf CLK_TCK answers). */
const CLOCK_TICKS = 100;

/** A /proc stat file's fields, numbered as proc(5) numbers them (1 is the pid); null once the process is gone. */
function statFields(file: string): ((field: number) => number) | null {
  let stat: string;
  try {
    stat = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (field) => Number(fields[field - 3]);
}

function statCpu(file: string, children: boolean): number {
  const field = statFields(file);
  if (!field) return 0;
  return (field(14) + field(15) + (children ? field(16) + field(17) : 0)) / CLOCK_TICKS;
}

/** A process's parent's pid; null once it is gone. */
export function parentPid(pid: number): number | null {
  return statFields(`/proc/${pid}/stat`)?.(4) ?? null;
}

/** utime + stime of a process, all its threads (and, with `children`, reaped children's), in seconds; 0 once it is gone. */
export function processCpuSeconds(pid: number, children = false): number {
  return statCpu(`/proc/${pid}/stat`, children);
}

/** The same for a process's main thread alone (a Node process's JavaScript thread); 0 once it is gone. */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpu(`/proc/${pid}/task/${pid}/stat`, false);
}
