export { type ModelState, type Blob } from './lib/model-state';
