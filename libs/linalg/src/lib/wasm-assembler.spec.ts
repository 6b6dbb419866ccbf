import {
  assembleWasmModule,
  compileWasmModule,
  createWasmMemory,
  instantiateWasm,
  isSharedWasmMemory,
  wasm,
  wasmSimdSupported,
  type WasmFunction,
} from './wasm-assembler';

const { get, set, i32 } = wasm;

/** sum(ptr, n): Σ of n doubles at byte address ptr, two lanes at a time (n even). */
const simdSum: WasmFunction = {
  name: 'sum',
  params: ['i32', 'i32'],
  locals: ['i32', 'v128'],
  result: 'f64',
  body: [
    ...wasm.v128Zero,
    ...set(3),
    ...i32(0),
    ...set(2),
    ...wasm.whileLessThan(
      get(2),
      [...get(1), ...i32(3), ...wasm.i32Shl],
      [
        ...get(3),
        ...get(0),
        ...get(2),
        ...wasm.i32Add,
        ...wasm.v128Load(0),
        ...wasm.f64x2Add,
        ...set(3),
        ...get(2),
        ...i32(16),
        ...wasm.i32Add,
        ...set(2),
      ],
    ),
    ...get(3),
    ...wasm.f64x2ExtractLane(0),
    ...get(3),
    ...wasm.f64x2ExtractLane(1),
    ...wasm.f64Add,
  ],
};

/** scaleInto(src, dst, n, factor as f64): dst[i] = factor · src[i] as f64, src given as f32. */
const scaleInto: WasmFunction = {
  name: 'scaleInto',
  params: ['i32', 'i32', 'i32', 'f64'],
  locals: ['i32'],
  body: [
    ...i32(0),
    ...set(4),
    ...wasm.whileLessThan(get(4), get(2), [
      ...get(1),
      ...get(4),
      ...i32(3),
      ...wasm.i32Shl,
      ...wasm.i32Add,
      ...get(0),
      ...get(4),
      ...i32(2),
      ...wasm.i32Shl,
      ...wasm.i32Add,
      ...wasm.f32Load(0),
      ...wasm.f64PromoteF32,
      ...get(3),
      ...wasm.f64Mul,
      ...wasm.f64Store(0),
      ...get(4),
      ...i32(1),
      ...wasm.i32Add,
      ...set(4),
    ]),
  ],
};

/** constants(): exercises signed LEB128 immediates, i32 arithmetic and both if branches. */
const constants: WasmFunction = {
  name: 'constants',
  params: ['i32'],
  locals: ['i32'],
  result: 'i32',
  body: [
    ...get(0),
    ...wasm.ifElse([...i32(-200_000), ...i32(64), ...wasm.i32Sub, ...set(1)], [...i32(2_000_000_000), ...set(1)]),
    ...get(1),
  ],
};

function instance(shared: boolean) {
  const memory = createWasmMemory(65536, shared);
  const module = compileWasmModule(assembleWasmModule({ shared }, [simdSum, scaleInto, constants]));
  return { memory, exports: instantiateWasm(module, memory) };
}

describe('assembleWasmModule', () => {
  it('detects SIMD support on this Node', () => {
    expect(wasmSimdSupported()).toBe(true);
  });

  it.each([false, true])(
    'builds a module whose SIMD, scalar and control-flow code runs (shared memory: %s)',
    (shared) => {
      const { memory, exports } = instance(shared);
      expect(isSharedWasmMemory(memory)).toBe(shared);
      const doubles = new Float64Array(memory.buffer, 64, 6);
      doubles.set([1.5, 2, -3, 4.25, 1e10, -1e10]);
      expect(exports['sum'](64, 6)).toBe(4.75);
      expect(exports['sum'](64, 4)).toBe(4.75);
      const floats = new Float32Array(memory.buffer, 256, 3);
      floats.set([1, -2.5, 0.25]);
      exports['scaleInto'](256, 512, 3, 4);
      expect(Array.from(new Float64Array(memory.buffer, 512, 3))).toEqual([4, -10, 1]);
      expect(exports['constants'](1)).toBe(-200_064);
      expect(exports['constants'](0)).toBe(2_000_000_000);
    },
  );

  it('rejects a shared memory for a module built for a local one', () => {
    const module = compileWasmModule(assembleWasmModule({ shared: false }, [simdSum]));
    expect(() => instantiateWasm(module, createWasmMemory(65536, true))).toThrow();
  });

  it('refuses non-ASCII export names and memories beyond 4 GiB', () => {
    expect(() => assembleWasmModule({ shared: false }, [{ ...constants, name: 'größe' }])).toThrow('must be ASCII');
    expect(() => createWasmMemory(2 ** 32 + 1, false)).toThrow('exceed the 4 GiB');
  });
});
