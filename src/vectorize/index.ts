/** Kernel factories (API.md "Kernel factories"): `vectorize` and `guvectorize`. */
export { vectorize } from './vectorize.js';
export type { VectorizeDecorator, VectorizedExtras } from './vectorize.js';
export { guvectorize } from './guvectorize.js';
export type { GuvectorizedGufunc } from './guvectorize.js';
export type { VectorizeOptions, GuvectorizeOptions } from './options.js';
