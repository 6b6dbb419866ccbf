export { Rng } from './lib/rng';
export { TopK, topK, type ScoredIndex } from './lib/top-k';
export { InnerProductIndex } from './lib/inner-product-index';
export {
  assembleWasmModule,
  compileWasmModule,
  createWasmMemory,
  instantiateWasm,
  isSharedWasmMemory,
  wasm,
  wasmSimdSupported,
  type WasmCode,
  type WasmExports,
  type WasmFunction,
  type WasmMemory,
  type WasmMemoryImport,
  type WasmModule,
  type WasmValType,
} from './lib/wasm-assembler';
export { dot, norm2, axpy, scale, normalize, cosine, matVec, minMaxNormalize, type Vec } from './lib/vector';
export { CsrMatrix } from './lib/csr';
