import { parseDecimal } from './decimal';

const parse = (s: string): number => parseDecimal(`#${s}#`, 1, s.length + 1);

describe('parseDecimal', () => {
  it.each([
    '0',
    '-0.5',
    '73',
    '230666',
    '0.0322',
    '1.01e-06',
    '5.56e-06',
    '-17.235',
    '87.917',
    '.5',
    '3.',
    '+2',
    '1E3',
    '2.5e+2',
    '1e-30',
    '0.12345678901234567',
    '12345678901234567890',
    '4.0',
  ])('reads %s exactly as Number() does', (s) => {
    expect(parse(s)).toBe(Number(s));
  });

  it('ignores surrounding spaces', () => {
    expect(parse('  4.5 ')).toBe(4.5);
  });

  it.each([
    '',
    ' ',
    'abc',
    '1,5',
    '1e',
    'e5',
    '.',
    '-',
    '+',
    'nan',
    'NaN',
    'inf',
    'Infinity',
    '0x10',
    '1.2.3',
    '1 2',
    '--1',
    '1e5.5',
  ])('rejects %j', (s) => {
    expect(parse(s)).toBeNaN();
  });

  it('agrees with Number() on 20,000 pseudo-random decimals in several notations', () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 20000; i++) {
      const x = (next() - 0.3) * 10 ** Math.floor(next() * 12 - 6);
      const forms = [
        String(x),
        x.toFixed(Math.floor(next() * 8)),
        x.toExponential(Math.floor(next() * 10)),
        x.toPrecision(1 + Math.floor(next() * 17)),
      ];
      for (const s of forms) if (parse(s) !== Number(s)) throw new Error(`${s}: ${parse(s)} !== ${Number(s)}`);
    }
  });
});
