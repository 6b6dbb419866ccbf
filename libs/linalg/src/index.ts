export { Rng } from './lib/rng';
export { TopK, topK, type ScoredIndex } from './lib/top-k';
export { dot, norm2, axpy, scale, normalize, cosine, matVec, minMaxNormalize, type Vec } from './lib/vector';
export { CsrMatrix } from './lib/csr';
