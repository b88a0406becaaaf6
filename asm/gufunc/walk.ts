/**
 * Walking the loop (batch) dims of a gufunc call and handing each innermost row of core
 * calls to a kernel's row function.
 *
 * A gufunc call passes two blocks (layouts in asm/index.ts's header):
 *   plan  the ufunc plan over the loop dims only: [ndim, shape, then per operand (inputs,
 *         then outputs) ptr and byte strides]; a pointer is the operand's first core element;
 *   core  [D, work, workBytes, size[0..D), then per operand the byte strides of its core
 *         dims in signature order]; a missing optional dim has size 1 and stride 0.
 * The outer loop dims are walked by recursion (counters on the Wasm stack: no shared state,
 * so workers may run calls concurrently, each with its own `work` block); the innermost
 * loop dim is one indirect call of the row function, which runs its n core calls itself
 * (so a vecdot over (1e5, 32) makes one call into the row, not 1e5).
 */
import { at, planIsEmpty, planNdim, planOperand, planShape } from '../plan';

/** A row of n core calls of a 2-in 1-out gufunc: operand k's core block at pk + i * sk. */
export type CoreRow3 = (n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize) => void;

@inline function ptr(plan: usize, k: i32): usize { return <usize>load<u32>(planOperand(plan, k)); }
@inline function strides(plan: usize, k: i32): usize { return planOperand(plan, k) + 4; }

/** Number of distinct core dims. */
@inline export function coreDims(core: usize): i32 { return load<i32>(core); }
/** The kernel's scratch block (0 when none was given) and its size in bytes. */
@inline export function coreWork(core: usize): usize { return <usize>load<u32>(core, 4); }
@inline export function coreWorkBytes(core: usize): usize { return <usize>load<u32>(core, 8); }
/** Size of distinct core dim d. */
@inline export function coreSize(core: usize, d: i32): i32 { return load<i32>(core + 12 + (<usize>d << 2)); }
/** The w-th core stride word (all operands' core strides in a row, inputs first), in bytes. */
@inline export function coreStride(core: usize, w: i32): usize {
  return <usize>load<i32>(core + 12 + (<usize>(coreDims(core) + w) << 2));
}

/** Run `row` over every loop element of a 3-operand plan. */
export function walkCore3(plan: usize, core: usize, row: CoreRow3): void {
  const ndim = planNdim(plan);
  const shape = planShape(plan);
  if (ndim == 0) { row(1, ptr(plan, 0), 0, ptr(plan, 1), 0, ptr(plan, 2), 0, core); return; }
  if (planIsEmpty(shape, ndim)) return;
  dims3(0, ndim, shape, strides(plan, 0), strides(plan, 1), strides(plan, 2), ptr(plan, 0), ptr(plan, 1), ptr(plan, 2), core, row);
}

function dims3(
  d: i32, ndim: i32, shape: usize, t0: usize, t1: usize, t2: usize, p0: usize, p1: usize, p2: usize, core: usize, row: CoreRow3,
): void {
  const n = at(shape, d);
  const s0 = <usize>at(t0, d);
  const s1 = <usize>at(t1, d);
  const s2 = <usize>at(t2, d);
  if (d == ndim - 1) { row(n, p0, s0, p1, s1, p2, s2, core); return; }
  for (let i = 0; i < n; i++) {
    dims3(d + 1, ndim, shape, t0, t1, t2, p0, p1, p2, core, row);
    p0 += s0; p1 += s1; p2 += s2;
  }
}
