/** Stencils (issue 7): `nb.stencil(kernel, options)`, see stencil.ts. */
export { stencil } from './stencil.js';
export type { Stencil, GpuStencil, StencilOptions, StencilCallOptions, BoundaryMode, Neighborhood } from './stencil.js';
