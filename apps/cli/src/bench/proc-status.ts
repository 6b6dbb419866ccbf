import { readFileSync, writeFileSync } from 'node:fs';

/** Memory lines of Linux's /proc/<pid>/status, in kB (`VmRSS: 123456 kB` → VmRSS: 123456). */
export function parseProcStatusMemory(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)\s+kB\s*$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Resident set size of a process in MB (one decimal) from /proc, or `undefined` off Linux or once it has exited. */
export function residentMb(pid: number | 'self', field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = parseProcStatusMemory(text)[field];
  return kb === undefined ? undefined : Math.round(kb / 102.4) / 10;
}

/**
 * Starts a new peak-RSS window for this process: Linux resets VmHWM to the current RSS when "5" is
 * written to /proc/self/clear_refs. False where that is unavailable (then VmHWM is the lifetime peak).
 */
export function resetPeakResident(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
