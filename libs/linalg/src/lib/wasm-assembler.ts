/**
 * Just enough of the WebAssembly binary format to write small SIMD kernels by hand: one imported
 * memory, exported functions of i32/f64/v128 values, and the instructions below. Plain JavaScript
 * runs one double multiply-add at a time with a bounds check per typed-array access; a 128-bit
 * f64x2 kernel over the same memory does two per instruction without checks (≈2.3× on the ALS
 * inner loop). A toolchain (wat2wasm, AssemblyScript) would be a build step and a dependency for
 * a few hundred bytes of code.
 *
 * Spec: https://webassembly.github.io/spec/core/binary/ (opcodes in §5.4; SIMD under 0xFD).
 */

export type WasmValType = 'i32' | 'f64' | 'v128';

/** Encoded instructions; build with the helpers of `wasm` and concatenate. */
export type WasmCode = readonly number[];

export interface WasmFunction {
  /** Export name. */
  name: string;
  params: readonly WasmValType[];
  /** Extra locals, numbered after the params. */
  locals: readonly WasmValType[];
  body: WasmCode;
  /** At most one result. */
  result?: WasmValType;
}

export interface WasmMemoryImport {
  /** Imported as env.memory; a shared memory (SharedArrayBuffer-backed, for worker threads) needs a shared import. */
  shared: boolean;
}

const VAL_TYPE: Record<WasmValType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };
/** The largest wasm32 memory: 65,536 pages of 64 KiB. */
const MAX_PAGES = 65536;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: readonly number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  const bytes = Array.from(s, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0x7e) throw new Error(`wasm: export name "${s}" must be ASCII`);
    return code;
  });
  return [...uleb(bytes.length), ...bytes];
}

/** Locals are declared as runs of equal types. */
function localRuns(types: readonly WasmValType[]): number[][] {
  const runs: number[][] = [];
  for (const t of types) {
    const last = runs[runs.length - 1];
    if (last && last[1] === VAL_TYPE[t]) last[0]++;
    else runs.push([1, VAL_TYPE[t]]);
  }
  return runs;
}

/** A module importing `env.memory` and exporting `functions` under their names. */
export function assembleWasmModule(memory: WasmMemoryImport, functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((p) => [VAL_TYPE[p]])),
    ...vector(f.result ? [[VAL_TYPE[f.result]]] : []),
  ]);
  // Limits: 0x00 min | 0x03 min, max, shared.
  const limits = memory.shared ? [0x03, ...uleb(1), ...uleb(MAX_PAGES)] : [0x00, ...uleb(1)];
  const imports = [[...name('env'), ...name('memory'), 0x02, ...limits]];
  const bodies = functions.map((f) => {
    const body = [...vector(localRuns(f.locals)), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** memarg: log2 of the alignment hint, then the constant offset added to the address. */
const memarg = (align: number, offset: number): number[] => [align, ...uleb(offset)];

/** Instruction encoders (stack machine: operands first, then the operator). */
export const wasm = {
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  i32: (n: number): number[] => [0x41, ...sleb(n | 0)],
  f64: (x: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64PromoteF32: [0xbb],
  i32Load: (offset = 0): number[] => [0x28, ...memarg(2, offset)],
  u8Load: (offset = 0): number[] => [0x2d, ...memarg(0, offset)],
  f32Load: (offset = 0): number[] => [0x2a, ...memarg(2, offset)],
  f64Load: (offset = 0): number[] => [0x2b, ...memarg(3, offset)],
  f64Store: (offset = 0): number[] => [0x39, ...memarg(3, offset)],
  v128Load: (offset = 0): number[] => [...simd(0x00), ...memarg(3, offset)],
  v128Store: (offset = 0): number[] => [...simd(0x0b), ...memarg(3, offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  f64x2Splat: simd(0x14),
  f64x2ExtractLane: (lane: 0 | 1): number[] => [...simd(0x21), lane],
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
  /** if (condition on the stack) { then } else { otherwise } producing nothing. */
  ifElse: (then: WasmCode, otherwise: WasmCode = []): number[] => [
    0x04,
    0x40,
    ...then,
    ...(otherwise.length > 0 ? [0x05, ...otherwise] : []),
    0x0b,
  ],
  /** `for (; left < right; ) body` with unsigned i32 operands; `body` must advance the loop itself. */
  whileLessThan: (left: WasmCode, right: WasmCode, body: WasmCode): number[] => [
    0x02, // block
    0x40,
    0x03, // loop
    0x40,
    ...left,
    ...right,
    0x4f, // i32.ge_u
    0x0d, // br_if 1: leave the block
    0x01,
    ...body,
    0x0c, // br 0: next turn
    0x00,
    0x0b,
    0x0b,
  ],
} as const;

/** A WebAssembly.Memory: one buffer (a SharedArrayBuffer when shared) that kernels address by byte. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** A compiled module, ready to be instantiated over a memory. */
export interface WasmModule {
  readonly compiled: unknown;
}

/** The exports of an instance: the kernels, taking and returning numbers. */
export type WasmExports = Record<string, (...args: number[]) => number | undefined>;

// The runtime's WebAssembly global, typed by what is used here: the engine's TypeScript lib has no DOM
// types, and reading it through globalThis also copes with a runtime that lacks it.
interface WasmRuntime {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { exports: WasmExports };
  validate(bytes: Uint8Array): boolean;
}

const runtime = (): WasmRuntime | undefined => (globalThis as unknown as { WebAssembly?: WasmRuntime }).WebAssembly;

const PAGE_BYTES = 65536;

/** A fixed-size memory of at least `bytes` (growing one would detach the views of a non-shared memory). */
export function createWasmMemory(bytes: number, shared: boolean): WasmMemory {
  const wasmRuntime = runtime();
  if (!wasmRuntime) throw new Error('this runtime has no WebAssembly');
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  if (pages > MAX_PAGES) throw new RangeError(`wasm: ${bytes} bytes exceed the 4 GiB of a wasm32 memory`);
  return new wasmRuntime.Memory({ initial: pages, maximum: pages, shared });
}

/** Whether `memory` is shared between threads (SharedArrayBuffer-backed). */
export function isSharedWasmMemory(memory: WasmMemory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

export function compileWasmModule(bytes: Uint8Array): WasmModule {
  const wasmRuntime = runtime();
  if (!wasmRuntime) throw new Error('this runtime has no WebAssembly');
  return { compiled: new wasmRuntime.Module(bytes) };
}

/** An instance of `module` with `memory` as its env.memory import. */
export function instantiateWasm(module: WasmModule, memory: WasmMemory): WasmExports {
  const wasmRuntime = runtime();
  if (!wasmRuntime) throw new Error('this runtime has no WebAssembly');
  return new wasmRuntime.Instance(module.compiled, { env: { memory } }).exports;
}

let simdSupport: boolean | null = null;

/** Whether this runtime runs WebAssembly with 128-bit SIMD (Node ≥ 16.4, current browsers). */
export function wasmSimdSupported(): boolean {
  if (simdSupport === null) {
    const wasmRuntime = runtime();
    const probe = assembleWasmModule({ shared: false }, [
      {
        name: 'probe',
        params: ['f64'],
        locals: [],
        result: 'f64',
        body: [...wasm.get(0), ...wasm.f64x2Splat, ...wasm.f64x2ExtractLane(1)],
      },
    ]);
    simdSupport = wasmRuntime !== undefined && wasmRuntime.validate(probe);
  }
  return simdSupport;
}
