/** nb.jit (Numba's @njit) and nb.prange. */
export { jit } from './jit.js';
export type { JitOptions, JitFunction, JitExtras, JitDecorator, JitInspection, JitSpecialization, JitKernel } from './jit.js';
export { prange, type Range } from './prange.js';
