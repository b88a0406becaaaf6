/**
 * The built-in generalized ufuncs: `matmul` and `vecdot`, with NumPy 2's loops for numbats'
 * dtypes (bool, every integer, float32, float64) and kernels in the prebuilt Wasm module
 * (asm/gufunc/: kernel id = 16 * op + dtype code, op 0 matmul, 1 vecdot).
 *
 * Measured on the 2-vCPU Xeon dev machine (Node 20, float64, medians; the machine was shared,
 * so runs varied by up to 1.5x), NumPy 2.4.6 with OpenBLAS in the same session:
 *   vecdot (1e5, 32): 2.0-2.2 ms = 0.64-0.70 ns/element (NumPy 1.9-2.3 ms): memory-bound,
 *     51 MB read per call (x1 . x1 alone takes 1.0 ms);
 *   matmul 256x256: 1.7 ms, 20 GFLOP/s (NumPy/OpenBLAS, 1 thread: 0.5 ms);
 *   matmul 1000x1000: 97-100 ms, 20 GFLOP/s (OpenBLAS, 1 thread: 26 ms). Wasm has 128-bit
 *     SIMD and no FMA in Node 20, so 4 f64 multiply-adds per step is the ceiling; a 6x4 tile
 *     (12 accumulators) measured 20-40% slower than 4x4 (register spills), and KC/NC of
 *     128-512 made no difference beyond noise;
 *   small calls: matmul of 2x2 with out= 2.5 us (NumPy 0.6 us), (1000,3,3)@(1000,3,3) 48 us
 *     (NumPy 26 us).
 */
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { runtime } from '../runtime/runtime.js';
import { createGufunc, type Gufunc, type GufuncLoop } from '../ufunc/gufunc.js';

/** NumPy's loop order for matmul and vecdot, restricted to numbats' dtypes. */
const LOOP_DTYPES: readonly DType[] = [
  'bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64',
];

function loopsFor(op: number): GufuncLoop[] {
  return LOOP_DTYPES.map((d) => ({ id: 16 * op + DTYPES[d].code, types: `${d},${d}->${d}`, ins: [d, d], outs: [d] }));
}

const runBuiltin = (loop: GufuncLoop, plan: number, core: number) => runtime().loops.gufunc(loop.id, plan, core);

/** Rows of B packed per block by the float matmul kernel (asm/gufunc/matmul.ts KC). */
const MATMUL_KC = 256;
/** Columns of B packed per block: KC x NC elements of scratch (512 KiB for float64). */
const MATMUL_NC = 256;

/**
 * Scratch for the packed float matmul kernel (sizes: n, k, m): a KC x NC block of B. Smaller
 * products (fewer than 4 rows or columns) run unpacked.
 */
function matmulWorkspace(loop: GufuncLoop, sizes: readonly number[]): number {
  const dtype = loop.outs[0]!;
  if (DTYPES[dtype].kind !== 'f') return 0;
  const [n, k, m] = sizes as [number, number, number];
  if (n < 4 || m < 4 || k === 0) return 0;
  const cols = Math.min(MATMUL_NC, Math.ceil(m / 8) * 8);
  return Math.min(k, MATMUL_KC) * cols * DTYPES[dtype].itemSize;
}

/**
 * Matrix product of two arrays (NumPy's `np.matmul`, the `@` operator), a gufunc with core
 * signature `(n?,k),(k,m?)->(n?,m?)`.
 *
 * The last two dims of each operand are the matrices; leading dims are a stack of
 * matrices that broadcast against each other. A 1-D first operand is a row vector (a
 * dimension n = 1 is prepended, and removed from the result), a 1-D second operand a
 * column vector (m = 1 appended, and removed). Scalars (and 0-d arrays) are refused, as in
 * NumPy. The result dtype is the inputs' common type (`resultType`); integers wrap, bool
 * is logical (or of ands). Options: `out`, `casting`, `dtype`, `signature`, `axes`.
 * Transposed and sliced (also negative-stride) operands are read in place.
 *
 * @throws ShapeError (`E_SHAPE_CORE`) when the inner dims differ, e.g.
 *   "matmul: Input operand 1 has a mismatch in its core dimension 0 ('k'), with gufunc
 *   signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)"; (`E_SHAPE_CORE_NDIM`)
 *   for a scalar operand; (`E_SHAPE_BROADCAST`) when the stacks do not broadcast.
 * @example
 * ```ts
 * const a = nb.array([[1, 0], [0, 1]]);
 * const b = nb.array([[4, 1], [2, 2]]);
 * nb.matmul(a, b).toArray();            // [[4n, 1n], [2n, 2n]]
 * nb.matmul(a, nb.array([1, 2])).shape; // [2]
 * nb.matmul(nb.ones([2, 1, 3, 4]), nb.ones([5, 4, 2])).shape; // [2, 5, 3, 2]
 * nb.matmul(a.T, b, { dtype: 'float64' }); // a transposed view, no copy
 * ```
 */
export const matmul: Gufunc = createGufunc({
  name: 'matmul',
  nin: 2,
  nout: 1,
  signature: '(n?,k),(k,m?)->(n?,m?)',
  loops: loopsFor(0),
  run: runBuiltin,
  workspace: matmulWorkspace,
}) as Gufunc;

/**
 * Vector dot product over the last axis (NumPy 2's `np.vecdot`), a gufunc with core
 * signature `(n),(n)->()`: `vecdot(x1, x2)[...] = sum(x1[..., i] * x2[..., i])`.
 *
 * Leading dims broadcast. For real dtypes this is NumPy's definition (no conjugation is
 * needed); integers wrap, bool is logical (any x1 && x2). Options: `out`, `casting`,
 * `dtype`, `signature`, `axis` (the axis holding the vectors, default -1), `axes`,
 * `keepdims`. Contiguous float rows take a SIMD path with four accumulators.
 *
 * @throws ShapeError (`E_SHAPE_CORE`) when the vector lengths differ; (`E_SHAPE_CORE_NDIM`)
 *   for a scalar operand.
 * @example
 * ```ts
 * const v = nb.array([[0, 5, 0], [0, 0, 10], [0, 6, 8]], { dtype: 'float64' });
 * nb.vecdot(v, nb.array([0, 0.6, 0.8])).toArray(); // [3, 8, 10]
 * nb.vecdot(nb.ones([3, 2]), nb.ones([3, 2]), { axis: 0 }).toArray(); // [3, 3]
 * ```
 */
export const vecdot: Gufunc = createGufunc({
  name: 'vecdot',
  nin: 2,
  nout: 1,
  signature: '(n),(n)->()',
  loops: loopsFor(1),
  run: runBuiltin,
}) as Gufunc;
