import { StandardScaler } from './standard-scaler';

describe('StandardScaler', () => {
  // Column a = [1, 2, 3, 4]: mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5, population var 1.25.
  // Column b = [10, 10, 10, 10]: constant, std 0 → divides by 1.
  const a = Float32Array.from([1, 2, 3, 4]);
  const b = Float32Array.from([10, 10, 10, 10]);

  it('fits population mean and std per column', () => {
    const s = StandardScaler.fit([a, b]);
    expect(s.mean[0]).toBeCloseTo(2.5, 12);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(s.mean[1]).toBe(10);
    expect(s.std[1]).toBe(0);
  });

  it('transforms to zero mean and unit variance, and a constant column to 0', () => {
    const s = StandardScaler.fit([a, b]);
    const [za, zb] = s.transform([a, b]);
    const sd = Math.sqrt(1.25);
    expect(Array.from(za)).toEqual([-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd].map(Math.fround));
    expect(Array.from(zb)).toEqual([0, 0, 0, 0]);
    expect(s.inverseValue(0, s.transformValue(0, 3))).toBeCloseTo(3, 12);
  });

  it('leaves missing values out of the fit and maps them to the mean (0)', () => {
    const s = StandardScaler.fit([Float32Array.from([NaN, 2, 4, NaN])]);
    expect(s.mean[0]).toBe(3);
    expect(s.std[0]).toBe(1);
    expect(Array.from(s.transformColumn(0, Float32Array.from([NaN, 5])))).toEqual([0, 2]);
  });

  it('round-trips through JSON and refuses a column count mismatch', () => {
    const s = StandardScaler.fit([a, b]);
    const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(Array.from(back.transformColumn(0, a))).toEqual(Array.from(s.transformColumn(0, a)));
    expect(() => back.transform([a])).toThrow('fitted on 2 columns, got 1');
    expect(() => new StandardScaler([0], [-1])).toThrow('must be ≥ 0');
  });
});
