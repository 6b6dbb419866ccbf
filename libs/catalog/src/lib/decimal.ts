const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * Parses a decimal number (`-12`, `0.5`, `1.01e-06`, `.5`, `3.`) from text[start, end) without
 * allocating a substring; surrounding spaces are ignored. Returns NaN for anything else (empty,
 * `nan`, `inf`, `1,5`, `0x10`).
 *
 * With at most 15 significant digits and a decimal exponent within ±22, mantissa and power of ten
 * are both exact doubles, so one multiplication or division is correctly rounded and the result
 * equals `Number(text)`. Other inputs fall back to `Number` on the validated substring.
 */
export function parseDecimal(text: string, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && text.charCodeAt(s) === 32) s++;
  while (e > s && text.charCodeAt(e - 1) === 32) e--;
  if (s === e) return NaN;
  let p = s;
  const c = text.charCodeAt(p);
  let negative = false;
  if (c === 45) {
    negative = true;
    p++;
  } else if (c === 43) p++;
  let mantissa = 0;
  let significant = 0;
  let exponent = 0;
  let digits = 0;
  let exact = true;
  for (; p < e; p++) {
    const d = text.charCodeAt(p) - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (significant < 15) {
      if (mantissa !== 0 || d !== 0) {
        mantissa = mantissa * 10 + d;
        significant++;
      }
    } else {
      exponent++;
      if (d !== 0) exact = false;
    }
  }
  if (p < e && text.charCodeAt(p) === 46) {
    for (p++; p < e; p++) {
      const d = text.charCodeAt(p) - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (significant < 15) {
        exponent--;
        if (mantissa !== 0 || d !== 0) {
          mantissa = mantissa * 10 + d;
          significant++;
        }
      } else if (d !== 0) exact = false;
    }
  }
  if (digits === 0) return NaN;
  if (p < e && (text.charCodeAt(p) | 32) === 101) {
    p++;
    let expNegative = false;
    if (p < e && (text.charCodeAt(p) === 45 || text.charCodeAt(p) === 43)) {
      expNegative = text.charCodeAt(p) === 45;
      p++;
    }
    let value = 0;
    let expDigits = 0;
    for (; p < e; p++) {
      const d = text.charCodeAt(p) - 48;
      if (d < 0 || d > 9) break;
      expDigits++;
      if (value < 100000) value = value * 10 + d;
    }
    if (expDigits === 0) return NaN;
    exponent += expNegative ? -value : value;
  }
  if (p !== e) return NaN;
  if (!exact || exponent > 22 || exponent < -22) return Number(text.slice(s, e));
  const magnitude = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
  return negative ? -magnitude : magnitude;
}
