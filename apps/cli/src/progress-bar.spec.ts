import { ProgressBar } from './progress-bar';

function stream(isTTY = true) {
  const writes: string[] = [];
  return { writes, s: { write: (c: string) => writes.push(c), isTTY, columns: 60 } };
}

describe('ProgressBar', () => {
  it('draws label, bar, percent and counts', () => {
    const { s } = stream();
    const bar = new ProgressBar(s, 'load', 4, { enabled: true });
    bar.update(1);
    expect(bar.render()).toBe(`load [${'#'.repeat(10)}${'-'.repeat(30)}]  25% 1/4`);
  });

  it('throttles redraws but always draws completion, then clears the line', () => {
    const { s, writes } = stream();
    let t = 0;
    const bar = new ProgressBar(s, 'x', 100, { enabled: true, minIntervalMs: 100, now: () => t });
    for (let i = 1; i <= 50; i++) bar.update(i); // all at t = 0: only the first draws
    t = 150;
    bar.update(60);
    bar.update(100);
    bar.finish();
    bar.finish();
    expect(writes).toHaveLength(4);
    expect(writes[0]).toContain('1/100');
    expect(writes[1]).toContain('60/100');
    expect(writes[2]).toContain('100/100');
    expect(writes[3]).toBe('\r\x1b[2K');
  });

  it('writes nothing when disabled', () => {
    const { s, writes } = stream();
    const bar = new ProgressBar(s, 'x', 10, { enabled: false });
    bar.tick();
    bar.update(10);
    bar.finish();
    expect(writes).toEqual([]);
  });
});
