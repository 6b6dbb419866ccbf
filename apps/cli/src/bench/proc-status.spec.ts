import { parseProcStatusMemory, residentMb } from './proc-status';

const STATUS = [
  'Name:\tnode',
  'State:\tS (sleeping)',
  'Pid:\t4242',
  'VmPeak:\t 1234567 kB',
  'VmHWM:\t  401408 kB',
  'VmRSS:\t  307200 kB',
  'Threads:\t11',
  'voluntary_ctxt_switches:\t120',
].join('\n');

describe('parseProcStatusMemory', () => {
  it('reads the kB lines of /proc/<pid>/status and ignores the others', () => {
    expect(parseProcStatusMemory(STATUS)).toEqual({ VmPeak: 1_234_567, VmHWM: 401_408, VmRSS: 307_200 });
  });

  it('is empty for text without memory lines', () => {
    expect(parseProcStatusMemory('')).toEqual({});
    expect(parseProcStatusMemory('VmRSS: lots')).toEqual({});
  });
});

describe('residentMb', () => {
  it('is undefined for a process that does not exist', () => {
    expect(residentMb(-1)).toBeUndefined();
  });
});
