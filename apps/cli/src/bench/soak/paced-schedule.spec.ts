import { PacedSchedule, type PacingClock, runPaced } from './paced-schedule';

/** Time moves only by sleeping: a sleep advances the clock by its length and resolves on the next turn. */
function fakeClock(): PacingClock {
  let t = 1_000;
  return {
    now: () => t,
    sleep: (ms) => {
      t += Math.max(0, ms);
      return new Promise<void>((resolve) => setImmediate(resolve));
    },
    wake: () => undefined,
  };
}

describe('PacedSchedule', () => {
  it('spaces requests 1000 / rate ms apart over the duration', () => {
    const s = new PacedSchedule(4, 2_000);
    expect(s.total).toBe(8);
    expect([0, 1, 2, 7].map((i) => s.dueAt(i))).toEqual([0, 250, 500, 1_750]);
  });

  it('counts the requests due by a time: the first at once, never more than the total', () => {
    const s = new PacedSchedule(4, 2_000);
    expect(s.dueBy(-1)).toBe(0);
    expect(s.dueBy(0)).toBe(1);
    expect(s.dueBy(249)).toBe(1);
    expect(s.dueBy(250)).toBe(2);
    expect(s.dueBy(60_000)).toBe(8);
  });

  it('rejects a rate or duration that is not positive', () => {
    expect(() => new PacedSchedule(0, 1_000)).toThrow(/rate must be a positive/);
    expect(() => new PacedSchedule(10, Number.NaN)).toThrow(/duration must be a positive/);
  });
});

describe('runPaced', () => {
  it('sends every request once, in order, never before its due time', async () => {
    const clock = fakeClock();
    const schedule = new PacedSchedule(10, 1_000);
    const start = clock.now();
    const sent: { i: number; at: number; due: number }[] = [];
    await runPaced(
      schedule,
      async (i, due) => {
        sent.push({ i, at: clock.now(), due });
      },
      { maxInFlight: 4, clock },
    );
    expect(sent.map((s) => s.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const s of sent) {
      expect(s.due).toBe(start + schedule.dueAt(s.i));
      expect(s.at).toBeGreaterThanOrEqual(s.due);
    }
    // It waited for the schedule rather than sending everything at once.
    expect(clock.now() - start).toBeGreaterThanOrEqual(schedule.dueAt(9));
  });

  it('sends late requests at once instead of skipping them (open loop)', async () => {
    const clock = fakeClock();
    const schedule = new PacedSchedule(100, 100);
    const sent: number[] = [];
    let first = true;
    await runPaced(
      schedule,
      async (i) => {
        sent.push(i);
        // The first request stalls the client: the clock jumps past every later due time.
        if (first) {
          first = false;
          await clock.sleep(1_000);
        }
      },
      { maxInFlight: 16, clock },
    );
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps at most maxInFlight requests outstanding', async () => {
    const clock = fakeClock();
    let inFlight = 0;
    let most = 0;
    let done = 0;
    await runPaced(
      new PacedSchedule(1_000, 50),
      async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        // Real milliseconds while the fake clock races ahead: later requests fall due while these are out.
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        done++;
      },
      { maxInFlight: 3, clock },
    );
    expect(done).toBe(50);
    expect(most).toBe(3);
  });

  it('rejects with the first failed send after the outstanding ones finish', async () => {
    const clock = fakeClock();
    const finished: number[] = [];
    await expect(
      runPaced(
        new PacedSchedule(10, 1_000),
        async (i) => {
          if (i === 2) throw new Error('send 2 broke');
          finished.push(i);
        },
        { maxInFlight: 4, clock },
      ),
    ).rejects.toThrow('send 2 broke');
    expect(finished).toEqual([0, 1]);
  });
});
