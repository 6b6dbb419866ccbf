import { Rng, createWasmMemory, wasmSimdSupported } from '@encore/linalg';
import { jsAlsKernels, wasmAlsKernels, type AlsKernels } from './als-kernels';

/** Typed arrays carved out of one buffer, 16-byte aligned, as the training state lays them out. */
function carve(buffer: ArrayBufferLike) {
  let at = 0;
  const take = <T>(make: (b: ArrayBufferLike, o: number, n: number) => T, n: number, bytes: number): T => {
    const view = make(buffer, at, n);
    at += Math.ceil((n * bytes) / 16) * 16;
    return view;
  };
  return {
    f64: (n: number) => take((b, o, len) => new Float64Array(b, o, len), n, 8),
    f32: (n: number) => take((b, o, len) => new Float32Array(b, o, len), n, 4),
    i32: (n: number) => take((b, o, len) => new Int32Array(b, o, len), n, 4),
    u8: (n: number) => take((b, o, len) => new Uint8Array(b, o, len), n, 1),
  };
}

function fixture(buffer: ArrayBufferLike, k: number, seed: number) {
  const rng = new Rng(seed);
  const a = carve(buffer);
  const rows = 37;
  const nnz = 23;
  const stride = 40;
  const f = {
    other: a.f64(rows * k),
    g: a.f64(k * k),
    v: a.f64(3 * k),
    out: a.f64(3 * k),
    cols: a.f64(k * stride),
    gram: a.f64(k * k),
    side: { colIdx: a.i32(nnz), extra: a.f32(nnz), pref: a.u8(nnz) },
    list: a.i32(5),
    small: a.f64(25),
    z: a.f64(5),
  };
  f.list.set([4, 0, 36, 4, 17]);
  for (let i = 0; i < 5; i++) f.z[i] = rng.normal();
  for (const arr of [f.other, f.g, f.v, f.out, f.cols]) for (let i = 0; i < arr.length; i++) arr[i] = rng.normal();
  for (let q = 0; q < nnz; q++) {
    f.side.colIdx[q] = rng.int(rows);
    f.side.extra[q] = q % 5 === 0 ? 0 : 4 * rng.next();
    f.side.pref[q] = q % 3 === 0 ? 0 : 1;
  }
  return { ...f, stride };
}

type Fixture = ReturnType<typeof fixture>;

/** Runs every kernel on `f` and returns what they wrote. */
function runAll(kernels: AlsKernels, f: Fixture, k: number): number[][] {
  kernels.gramTimes(f.g, f.v, k, f.out, 2 * k, k);
  const gramTimes = Array.from(f.out.subarray(2 * k, 3 * k));
  const observed = [true, false].map((residual) => {
    const out = f.out.subarray(0, k);
    out.fill(0.5);
    kernels.addObserved(f.side, 2, 21, f.other, f.v, out, k, residual);
    return Array.from(out);
  });
  f.gram.fill(-7);
  kernels.lowerGramRows(f.cols, f.stride, k, f.gram, 1, k);
  f.small.fill(-7);
  kernels.crossDots(f.list, 5, f.other, f.cols, f.small, k);
  const combined = f.out.subarray(0, k);
  combined.fill(3);
  kernels.combineRows(f.list, 5, f.z, f.other, combined, k);
  return [gramTimes, ...observed, Array.from(f.gram), Array.from(f.small), Array.from(combined)];
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  expect(worst).toBeLessThan(1e-12);
}

describe('ALS kernels', () => {
  it('runs WebAssembly SIMD here (Node ≥ 16.4)', () => {
    expect(wasmSimdSupported()).toBe(true);
  });

  it.each([
    ['64 factors, local memory', 64, false],
    ['8 factors, local memory', 8, false],
    ['64 factors, shared memory', 64, true],
  ])('SIMD and plain JavaScript agree to rounding: %s', (_, k, shared) => {
    const memory = createWasmMemory(4 * 65536, shared);
    const expected = runAll(jsAlsKernels, fixture(new ArrayBuffer(memory.buffer.byteLength), k, 3), k);
    const actual = runAll(wasmAlsKernels(memory), fixture(memory.buffer, k, 3), k);
    for (let part = 0; part < expected.length; part++) expectClose(actual[part], expected[part]);
    // Row 0 of the Gram result lies outside [from, to), and crossDots fills only the lower triangle.
    expect(actual[3][0]).toBe(-7);
    expect(actual[4][1]).toBe(-7);
  });

  it('computes hand-checked values', () => {
    // G = [[1,2,0,0],[0,1,0,0],[0,0,2,0],[0,0,0,3]], v = [1,1,1,1] → G·v = [3,1,2,3].
    const memory = createWasmMemory(65536, false);
    for (const kernels of [jsAlsKernels, wasmAlsKernels(memory)]) {
      const a = carve(memory.buffer);
      const g = a.f64(16);
      g.set([1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3]);
      const v = a.f64(4);
      v.set([1, 1, 1, 1]);
      const out = a.f64(4);
      kernels.gramTimes(g, v, 0, out, 0, 4);
      expect(Array.from(out)).toEqual([3, 1, 2, 3]);
      // One entry, y = [1,0,0,2], e = 3, p = 1, v = [1,1,1,1]: y·v = 3, residual c = (1 + 3) − 3·3 = −5.
      const other = a.f64(4);
      other.set([1, 0, 0, 2]);
      const side = { colIdx: a.i32(1), extra: a.f32(1), pref: a.u8(1) };
      side.extra[0] = 3;
      side.pref[0] = 1;
      out.fill(0);
      kernels.addObserved(side, 0, 1, other, v, out, 4, true);
      expect(Array.from(out)).toEqual([-5, 0, 0, -10]);
      out.fill(0);
      kernels.addObserved(side, 0, 1, other, v, out, 4, false);
      expect(Array.from(out)).toEqual([9, 0, 0, 18]);
    }
  });
});
