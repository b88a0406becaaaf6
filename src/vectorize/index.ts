/** Kernel factories (API.md "Kernel factories"): `vectorize` and `guvectorize`. */
export { vectorize } from './vectorize.js';
export type { VectorizeDecorator, VectorizeDecoratorFor, VectorizedExtras, GpuUfunc, GpuVectorizeDecorator } from './vectorize.js';
export { guvectorize } from './guvectorize.js';
export type { GuvectorizedGufunc, GuvectorizeDecoratorFor, GpuGufunc } from './guvectorize.js';
export type { VectorizeOptions, GuvectorizeOptions } from './options.js';
