/**
 * Property: the gpu target's own exp, log, log2, log10, sin, cos, tan, sinh and cosh
 * (src/compiler/emit/wgsl/elementary-prelude.ts) on any float32 (fast-check's floats: every
 * exponent, signed zeros, subnormals, infinities, NaN) are within the ulps of
 * docs/guide/06-targets.md of JavaScript's Math.* rounded to float32, special values exact.
 * The sin/cos/tan argument reduction keeps r's relative accuracy at every magnitude (five-part
 * Cody-Waite below 8192, Payne-Hanek past it), which the huge inputs and the float32s next to
 * the multiples of pi/2 exercise.
 */
import { describe } from 'vitest';
import { hasGpu } from './harness.js';
import { elementaryPropertyTests } from './special-values.js';

describe.skipIf(!hasGpu)('elementary functions on the gpu target vs Math.* (property)', () => {
  elementaryPropertyTests();
});
