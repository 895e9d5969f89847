/**
 * CPU time of this process and of its children that have exited (Linux: /proc/self/stat,
 * utime, stime, cutime, cstime). Children are counted once they are reaped, which Node does as
 * they exit, so after a batch the children's figure covers every ffmpeg and ffprobe it ran.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export interface CpuSeconds {
  self: number;
  children: number;
}

export function cpuSeconds(): CpuSeconds {
  return cpuSecondsOf('self');
}

/** The same for another process (one of ours: the engine's own process). */
export function cpuSecondsOf(pid: number | 'self'): CpuSeconds {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, the 3rd field.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = (i: number): number => Number(fields[i - 3]) / TICKS_PER_SECOND;
  return { self: tick(14) + tick(15), children: tick(16) + tick(17) };
}

export function cpuSince(before: CpuSeconds): CpuSeconds {
  const now = cpuSeconds();
  return { self: now.self - before.self, children: now.children - before.children };
}

/**
 * The whole machine's busy CPU time (Linux: the first line of /proc/stat, every state but idle
 * and iowait), in seconds: what the kernel's own threads (the file system's journal committing an
 * fsync, interrupts) spend for a contender too, which no process's figure shows.
 */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}
